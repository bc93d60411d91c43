import type { ConsentRecord } from '@polku/consent-policy';
import type { ConsentWithdrawnV2 } from '@polku/contracts';
import { parseIdentityCode } from '@polku/personal-data';
import { Forbidden, type Caller, type PersonAssertion } from '@polku/service-kit';
import { personRefOf } from './person-ref';

export type Withdrawal = ConsentWithdrawnV2['withdrawal'];
export type WithdrawalReason = Withdrawal['reason'];

const normalised = (code: string): string | undefined => parseIdentityCode(code)?.normalised;

/**
 * Who may withdraw a consent (703/2023: it is the grantor's to take back): the person who gave
 * it, through the resident e-service, or the organisation that recorded it (any of its systems
 * with a recording role). Nobody else: not a guardian for a minor's own ban, not another
 * organisation. A record without a grantor reference (v1, or recorded without the grantor's code)
 * can only be withdrawn by its recording organisation.
 * @returns who withdraws, for the withdrawn event
 */
export function withdrawalBy(record: ConsentRecord, caller: Caller, pseudonymKey: Buffer): Withdrawal['by'] {
  if (caller.person) {
    const code = normalised(caller.person.identityCode);
    const ref = code === undefined ? undefined : personRefOf(code, pseudonymKey);
    if (ref !== undefined && record.grantor.ref === ref) return { kind: 'person', personRef: ref, role: record.grantor.role };
    throw forbidden();
  }
  const recorder = caller.roles.includes('submitter') || caller.roles.includes('recipient');
  if (recorder && record.recordedBy.organisationId === caller.organisationId) {
    return { kind: 'organisation', organisationId: caller.organisationId, systemId: caller.systemId };
  }
  throw forbidden();
}

function forbidden(): Forbidden {
  return new Forbidden('Only the person who gave this consent (through the resident e-service) or the organisation that recorded it may withdraw it', 'CONSENT_WITHDRAW_FORBIDDEN');
}

/**
 * Through the resident e-service a person records only their own consent, or one for a child
 * they are the guardian of (as the e-service's assertion says). The grantor is then that person.
 */
export function checkResidentGrantor(person: PersonAssertion, subjectCode: string, grantor: { role: string; identityCode?: string }): void {
  const own = normalised(person.identityCode);
  const subject = normalised(subjectCode);
  const children = new Set((person.guardianship?.childIdentityCodes ?? []).map(normalised));
  const named = grantor.identityCode === undefined ? own : normalised(grantor.identityCode);
  const allowed = own !== undefined && named === own && subject !== undefined &&
    ((grantor.role === 'self' && subject === own) || (grantor.role === 'guardian' && children.has(subject)));
  if (!allowed) {
    throw new Forbidden('Through the resident e-service the grantor must be the identified person: the subject themself (role self) or their guardian (role guardian)', 'GRANTOR_NOT_THE_PERSON');
  }
}
