import { syntheticIdentityCode } from '@polku/personal-data';
import type { KeyRequest } from '@polku/launcher';

/**
 * The referrals a benchmark sends: the three kinds the demo shows, in the proportions a
 * wellbeing area sees them, each with the event that ends its journey through the backbone.
 * Synthetic people only (identity codes with individual numbers 900–999).
 */
export type ReferralKind = 'school-consented' | 'child-welfare-notification' | 'self-referral';

export interface KindSpec {
  kind: ReferralKind;
  /** Share of the requests. */
  weight: number;
  /** Whose key submits it. */
  submitter: 'school' | 'residentPortal';
  /** The event type whose arrival for the referral means it reached its expected state. */
  expectedEvent: 'fi.polku.referral.delivered.v1' | 'fi.polku.referral.routed.v1';
  /** What a reader of the report sees. */
  expectedState: string;
}

export const KINDS: readonly KindSpec[] = [
  { kind: 'school-consented', weight: 2, submitter: 'school', expectedEvent: 'fi.polku.referral.delivered.v1', expectedState: 'delivered to the school system (guardian consent recorded first)' },
  { kind: 'child-welfare-notification', weight: 1, submitter: 'school', expectedEvent: 'fi.polku.referral.routed.v1', expectedState: 'routed to child welfare (LSL 25 §, no system connected)' },
  { kind: 'self-referral', weight: 1, submitter: 'residentPortal', expectedEvent: 'fi.polku.referral.delivered.v1', expectedState: 'delivered to the NGO system' },
];

export const BENCH_ORGANISATIONS = {
  school: { organisationId: 'jyvaskyla-education', systemId: 'bench-school', roles: ['submitter', 'recipient'] },
  residentPortal: { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'bench-resident-e-service', roles: ['resident'] },
  operator: { organisationId: 'polku-operations', systemId: 'bench-console', roles: ['operator'] },
} satisfies Record<string, KeyRequest>;

export type BenchKeys = Record<keyof typeof BENCH_ORGANISATIONS, string>;

/** A prepared request: which kind, whose key, and the JSON body. */
export interface PreparedReferral {
  kind: ReferralKind;
  submitter: KindSpec['submitter'];
  body: string;
  /** The identity code of the person a self-referral is sent for (the e-service's assertion names them). */
  person?: string;
}

/** The young person of the n-th self-referral: synthetic, aged about 16, their own identity code. */
function youth(n: number): string {
  return syntheticIdentityCode({ year: 2010, month: 1 + (n % 12), day: 1 + (Math.floor(n / 12) % 28) }, 900 + (Math.floor(n / 336) % 100));
}

function schoolChild(n: number) {
  return { identityCode: syntheticIdentityCode({ year: 2014 + (n % 4), month: 1 + (n % 12), day: 1 + (Math.floor(n / 12) % 28) }, 900 + (Math.floor(n / 336) % 100)), firstName: 'Bench', lastName: `Lapsi${n}` };
}

const guardian = { firstName: 'Bench', lastName: 'Huoltaja', phone: '+358 40 900 0000', email: 'bench.guardian@example.invalid' };

function body(kind: ReferralKind, n: number): object {
  if (kind === 'school-consented') {
    return { submitter: { role: 'teacher' }, child: schoolChild(n), guardians: [guardian], contact: { phone: guardian.phone }, description: 'Lukemisen tuki (benchmark).', needCodes: ['learning-support'], urgency: 'routine', municipalityCode: '179', language: 'fi', legalBasis: 'consent' };
  }
  if (kind === 'child-welfare-notification') {
    return { submitter: { role: 'teacher' }, child: schoolChild(n + 5000), guardians: [guardian], contact: {}, description: 'Huoli lapsen turvallisuudesta (benchmark).', needCodes: ['child-welfare-concern'], urgency: 'urgent', municipalityCode: '179', language: 'fi', legalBasis: 'lsl-25' };
  }
  return { submitter: { role: 'resident' }, child: { identityCode: youth(n), firstName: 'Bench', lastName: `Nuori${n}` }, guardians: [], contact: { email: 'bench.youth@example.invalid' }, description: 'Haluaisin harrastuksen (benchmark).', needCodes: ['loneliness-leisure'], urgency: 'routine', municipalityCode: '410', language: 'fi', legalBasis: 'consent' };
}

/**
 * A repeating sequence of requests in the kinds' proportions. School referrals are about the
 * `children` whose guardians' consents `consentBodies` gives; the other kinds need none.
 */
export function referralSequence(children: number): PreparedReferral[] {
  const round = KINDS.flatMap((spec) => Array.from({ length: spec.weight }, () => spec));
  return Array.from({ length: children * round.length }, (_, i) => {
    const spec = round[i % round.length]!;
    const child = Math.floor(i / round.length);
    return { kind: spec.kind, submitter: spec.submitter, body: JSON.stringify(body(spec.kind, child)), ...(spec.kind === 'self-referral' ? { person: youth(child) } : {}) };
  });
}

/** The guardian's permission for the school (lead) and student welfare (co-worker), per school child. */
export function consentBodies(children: number): object[] {
  return Array.from({ length: children }, (_, n) => ({
    subject: { identityCode: schoolChild(n).identityCode },
    grantor: { role: 'guardian' },
    disclosers: [{ organisationId: 'jyvaskyla-education' }],
    recipients: [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }],
    dataCategories: ['identity', 'contact', 'guardians', 'need-description'],
    purposes: ['service-provision'],
    legalFramework: '703/2023',
    validUntil: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
    form: 'electronic',
    recordedBy: { professionalRef: 'bench-teacher' },
    // The school names itself as a recipient, so it records the guardian's form as evidence (SELF_PERMISSION_NEEDS_EVIDENCE otherwise).
    evidenceRef: 'wilma:form:bench',
  }));
}

export function kindSpec(kind: ReferralKind): KindSpec {
  return KINDS.find((spec) => spec.kind === kind)!;
}
