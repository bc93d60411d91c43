import type { SubmitterRole } from '@polku/contracts';
import { ageInYears, parseIdentityCode, type IdentityCode } from '@polku/personal-data';
import { Forbidden, requirePerson, type Caller } from '@polku/service-kit';

/** Roles only a person may submit as, through the resident e-service (principle 8). */
const PERSON_ROLES: readonly SubmitterRole[] = ['resident', 'guardian'];

/** Who submits a referral, as the key (and the e-service's verified assertion) says, never the body. */
export interface Submitter {
  /**
   * `resident`: a verified person referring themselves (the only self-referral basis downstream);
   * `guardian`: a verified guardian about their child under 18 (gated like any other referral);
   * otherwise the professional role the key's system submits as.
   */
  role: SubmitterRole;
  /** The subject's identity code: the body's, or for a self-referral without one the assertion's. */
  identity: IdentityCode | undefined;
}

/**
 * Decides the submitter from the caller. A professional role needs a key with the role
 * `submitter`; `resident` and `guardian` need a key with the role `resident` and a verified person
 * assertion, and then the body may name only the person themselves or a child under 18 the
 * assertion says they are a guardian of. Refusals name no one.
 */
export function submitterOf(caller: Caller, claimed: SubmitterRole, identity: IdentityCode | undefined, now: Date): Submitter {
  if (!PERSON_ROLES.includes(claimed)) {
    if (!caller.roles.includes('submitter')) throw notYours(claimed);
    return { role: claimed, identity };
  }
  if (!caller.roles.includes('resident')) throw notYours(claimed);
  const person = requirePerson(caller);
  const own = parseIdentityCode(person.identityCode);
  if (!own) throw new Forbidden('The person assertion names no valid identity code', 'NOT_THE_PERSON_OR_THEIR_CHILD');
  if (identity === undefined || identity.normalised === own.normalised) return { role: 'resident', identity: own };
  const children = (person.guardianship?.childIdentityCodes ?? []).map((code) => parseIdentityCode(code)?.normalised);
  if (!children.includes(identity.normalised)) {
    throw new Forbidden('A person may refer only themselves or a child the e-service says they are a guardian of', 'NOT_THE_PERSON_OR_THEIR_CHILD');
  }
  if (ageInYears(identity.birthDate, now) >= 18) {
    throw new Forbidden('A guardian cannot act for a child who has come of age; they refer themselves', 'CHILD_OF_AGE');
  }
  return { role: 'guardian', identity };
}

function notYours(claimed: SubmitterRole): Forbidden {
  return PERSON_ROLES.includes(claimed)
    ? new Forbidden(`submitter.role ${claimed} is only for a person identified through the resident e-service's key`, 'SUBMITTER_ROLE_NOT_YOURS')
    : new Forbidden(`submitter.role ${claimed} is a professional's; this key does not submit as one`, 'SUBMITTER_ROLE_NOT_YOURS');
}
