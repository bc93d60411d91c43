import { randomUUID } from 'node:crypto';
import { uniqueChildIdentityCode } from '@polku/test-kit';

/**
 * A teacher's referral about a synthetic child: identity codes use individual numbers
 * 900–999 and names carry a random tag, so a scan for them finds nothing by chance.
 */
export function teacherReferral() {
  const tag = randomUUID().slice(0, 8);
  const identityCode = uniqueChildIdentityCode(2015);
  const child = { identityCode, firstName: `Aino${tag}`, lastName: `Testilä${tag}` };
  const guardian = { firstName: `Kalle${tag}`, lastName: `Testilä${tag}`, phone: '+358 40 900 1234', email: `kalle.${tag}@example.invalid`, relationship: 'parent' };
  const description = `Poissaoloja on kertynyt syksyn aikana (${tag}).`;
  const body = {
    submitter: { role: 'teacher', userRef: 'teacher-0042' },
    child,
    guardians: [guardian],
    contact: { phone: guardian.phone, email: guardian.email, preferredChannel: 'phone' },
    description,
    needCodes: ['school-attendance', 'mental-health'],
    urgency: 'soon',
    municipalityCode: '179',
    language: 'fi',
    legalBasis: 'consent',
  };
  return { body, personalValues: [identityCode, child.firstName, child.lastName, guardian.firstName, guardian.email, guardian.phone, description] };
}
