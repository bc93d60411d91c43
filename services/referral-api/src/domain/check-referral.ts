import { parseIdentityCode, type IdentityCode } from '@polku/personal-data';
import type { FieldProblem } from '@polku/service-kit';
import type { ReferralRequest } from './referral-request';

export interface ReferralChecks {
  /** Municipality codes of the service catalogue. */
  municipalities: ReadonlySet<string>;
  /** The day of submission, for birth dates in the future. */
  now: Date;
}

export type CheckResult = { ok: true; identity: IdentityCode | undefined } | { ok: false; problems: FieldProblem[] };

/**
 * What the request schema cannot say: codes that must exist in the catalogue, identity codes
 * that must be real. Messages never repeat the value, which may be personal.
 */
export function checkReferral(request: ReferralRequest, checks: ReferralChecks): CheckResult {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, in: 'body', message });

  if (!checks.municipalities.has(request.municipalityCode)) {
    problem('/municipalityCode', 'is not a municipality of the service catalogue');
  }
  const { identityCode, birthDate } = request.child;
  const identity = identityCode === undefined ? undefined : parseIdentityCode(identityCode);
  if (identityCode !== undefined && !identity) {
    problem('/child/identityCode', 'is not a valid Finnish identity code (birth date, century sign or check character)');
  }
  if (identityCode === undefined && request.submitter.role !== 'resident') {
    problem('/child/identityCode', 'is required unless submitter.role is resident');
  }
  if (birthDate !== undefined && Date.parse(`${birthDate}T00:00:00Z`) > checks.now.getTime()) {
    problem('/child/birthDate', 'must not be in the future');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, identity };
}
