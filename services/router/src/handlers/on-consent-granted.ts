import type { HandlerContext } from '@polku/bus';
import { decideDisclosure } from '@polku/consent-policy';
import type { ConsentGrantedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { PolkuError } from '@polku/service-kit';
import { requireWholeMemory } from '../acted-offsets';
import { asRecipient, routingQuestion } from '../consent-gate';
import type { Cause } from '../publish-routing';
import { sqlReferralMemory } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { resumeWaiting } from './consent-routing';

/** Attempts after which a consent the service does not (yet) show is left as the service answers. */
const VISIBILITY_ATTEMPTS = 4;

/**
 * The consent service publishes a grant before its own projection shows it, so the router may ask
 * a moment too early. Retryable: the bus asks again after a backoff.
 */
export class ConsentNotYetVisible extends PolkuError {
  constructor(consentId: string, referralId: string) {
    super('ROUTER_CONSENT_NOT_VISIBLE', `consent ${consentId} would cover a recipient of referral ${referralId} but the consent service does not show it yet`, { retryable: true });
  }
}

/**
 * A permission was granted: every referral of the subject with recipients waiting for consent is
 * asked about again, and routing resumes for the recipients now covered (see `resumeWaiting`).
 * Bans, withdrawals and expiries need nothing here: the adapter host asks before every delivery.
 * One transaction for all of the subject's referrals: a grant the consent service does not show
 * yet throws, and the retry asks about all of them again with nothing of the first try announced.
 */
export async function onConsentGranted(ctx: RouterContext, tx: Sql, event: CausingEvent<ConsentGrantedV1>, context: HandlerContext): Promise<void> {
  const consent = event.data;
  if (consent.kind !== 'permission') return;
  const log = context.logger;
  // Who waits is only known once a rebuild has replayed the referral topic.
  await requireWholeMemory(tx, ctx.projection, ctx.topic);
  const memory = sqlReferralMemory(tx);
  // A referral being routed for this subject holds the lock until it commits: then its waiting recipients are seen here.
  await memory.lockSubject(consent.subjectRef);
  for (const referralId of await memory.waitingReferrals(consent.subjectRef)) {
    const record = await memory.lock(referralId);
    if (!record) {
      log.warn({ referralId, consentId: consent.consentId }, 'waiting referral has no record: left to operators');
      continue;
    }
    const cause: Cause = { derivedFrom: event.id, causationid: event.id, correlationid: record.correlationid, legalbasis: record.legalBasis };
    const coverage = await resumeWaiting(ctx, tx, record, cause, `resume/${referralId}`, log);
    // Still waiting although this very grant covers them: the consent service has not applied it yet.
    const { dataCategories, purpose } = routingQuestion(record.legalBasis);
    const unseen = coverage.filter(
      (c) => !c.covered && decideDisclosure([{ ...consent }], { subjectRef: consent.subjectRef, recipient: asRecipient(ctx.catalogue, c.party), dataCategories, purpose, legalBasis: record.legalBasis, at: ctx.now() }).allowed,
    );
    if (unseen.length === 0) continue;
    if (context.attempt < VISIBILITY_ATTEMPTS) throw new ConsentNotYetVisible(consent.consentId, referralId);
    log.warn({ referralId, consentId: consent.consentId, attempts: context.attempt }, 'the consent service still refuses recipients this grant names: left waiting as it answers');
  }
}
