import type { DataCategory } from '@polku/contracts';
import { coversDiscloser, coversRecipient, hasLapsed, isActiveAt, minorDecidesPersonally } from './coverage';
import { statutoryBasis } from './statutes';
import type { ConsentRecord, Decision, DisclosureRequest } from './types';

/**
 * May `request.recipient` receive these categories of the subject's data, for this purpose,
 * at `request.at`? Pure: the caller passes every record of the subject it holds. The rules,
 * in order, are tabled in README.md.
 */
export function decideDisclosure(consents: readonly ConsentRecord[], request: DisclosureRequest): Decision {
  const statute = statutoryBasis(request.legalBasis, request.recipient);
  if (statute) return { allowed: true, basis: { kind: 'statute', statute: statute.label }, dataCategories: [...request.dataCategories] };

  const own = consents.filter((r) => r.subjectRef === request.subjectRef);
  const minorDecides = minorDecidesPersonally(own, request.at);
  const counting = minorDecides ? own.filter((r) => r.grantor.role === 'self') : own;
  // Records that speak about this recipient and purpose, in any state.
  const relevant = counting.filter((r) => coversRecipient(r, request.recipient) && r.purposes.includes(request.purpose));
  const active = relevant.filter((r) => isActiveAt(r, request.at));
  const permissions = active.filter((r) => r.kind === 'permission' && coversDiscloser(r, request.discloser));

  const permitted = categoriesOf(permissions);
  const banned = categoriesOf(active.filter((r) => r.kind === 'ban'));
  const allowed = request.dataCategories.filter((c) => permitted.has(c) && !banned.has(c));
  if (allowed.length > 0) {
    const consentIds = permissions.filter((r) => r.dataCategories.some((c) => allowed.includes(c))).map((r) => r.consentId);
    return { allowed: true, basis: { kind: 'consent', consentIds }, dataCategories: allowed };
  }
  return refusal(request, { counting, relevant, bannedAny: request.dataCategories.some((c) => banned.has(c)), minorDecides });
}

function categoriesOf(records: readonly ConsentRecord[]): Set<DataCategory> {
  return new Set(records.flatMap((r) => r.dataCategories));
}

interface RefusalFacts {
  counting: readonly ConsentRecord[];
  relevant: readonly ConsentRecord[];
  bannedAny: boolean;
  minorDecides: boolean;
}

/** The most telling reason, so the professional knows what would change the answer. */
function refusal(request: DisclosureRequest, facts: RefusalFacts): Decision {
  const whose = facts.minorDecides ? ' (the minor decides personally, so only the minor\'s own records count)' : '';
  if (facts.bannedAny) {
    return { allowed: false, reason: 'banned', detail: `A disclosure ban covers this recipient and the requested data${whose}` };
  }
  const lapsed = latestInactivePermission(request, facts.relevant);
  if (lapsed) {
    const reason = lapsed.status === 'withdrawn' ? 'withdrawn' : 'expired';
    return { allowed: false, reason, detail: `Consent ${lapsed.consentId} that covered this disclosure is ${reason}${whose}` };
  }
  if (facts.counting.some((r) => r.kind === 'permission' && isActiveAt(r, request.at))) {
    return { allowed: false, reason: 'not-covered', detail: `No active consent covers this ${request.discloser ? 'discloser, ' : ''}recipient, purpose '${request.purpose}' and the requested data categories${whose}` };
  }
  return { allowed: false, reason: 'no-consent', detail: `The subject has no active disclosure permission${whose}` };
}

/** A withdrawn or lapsed permission that would otherwise have covered a requested category. */
function latestInactivePermission(request: DisclosureRequest, relevant: readonly ConsentRecord[]): ConsentRecord | undefined {
  const candidates = relevant.filter(
    (r) =>
      r.kind === 'permission' &&
      (r.status === 'withdrawn' || hasLapsed(r, request.at)) &&
      r.dataCategories.some((c) => request.dataCategories.includes(c)),
  );
  return candidates.sort((a, b) => Date.parse(b.changedAt) - Date.parse(a.changedAt))[0];
}
