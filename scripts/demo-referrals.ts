// The demo's referrals: three kinds a newcomer should see routed differently.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyRequest } from '@polku/launcher';
import { syntheticIdentityCode } from '@polku/personal-data';

export const DEMO_ORGANISATIONS = {
  school: { organisationId: 'jyvaskyla-education', systemId: 'school-system-demo', roles: ['submitter', 'recipient'] },
  operator: { organisationId: 'polku-operations', systemId: 'console-demo', roles: ['operator'] },
} satisfies Record<string, KeyRequest>;

/** The demo organisations' keys, and the resident e-service's (issued by the launcher with its stand-in signer). */
type DemoKeys = Record<keyof typeof DEMO_ORGANISATIONS | 'residentEService', string>;

/** Signs the stand-in resident e-service's assertion about a person (launcher: backbone.residentEService). */
type AssertPerson = (person: { identityCode: string }) => Promise<string>;

// Synthetic people: identity codes in the 900–999 test range.
const child = (year: number, individual: number, firstName: string) => ({
  identityCode: syntheticIdentityCode({ year, month: 5, day: 14 }, individual),
  firstName,
  lastName: 'Demola',
});
const guardian = { firstName: 'Saara', lastName: 'Demola', phone: '+358 40 900 0000', email: 'saara.demola@example.invalid' };

const REFERRALS = [
  {
    title: 'a teacher asks for learning support (Jyväskylä) → the school leads, delivered to the school system',
    key: 'school' as const,
    // The guardian's permission for the school (lead) and student welfare (co-worker), recorded first.
    consent: [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }],
    body: { submitter: { role: 'teacher' }, child: child(2016, 901, 'Eino'), guardians: [guardian], contact: { phone: guardian.phone }, description: 'Lukemisen tuki (demo).', needCodes: ['learning-support'], urgency: 'routine', municipalityCode: '179', language: 'fi', legalBasis: 'consent' },
  },
  {
    title: 'a child-welfare notification, LSL 25 § (Jyväskylä) → child welfare only, no consent needed',
    key: 'school' as const,
    body: { submitter: { role: 'teacher' }, child: child(2013, 902, 'Aada'), guardians: [guardian], contact: {}, description: 'Huoli lapsen turvallisuudesta (demo).', needCodes: ['child-welfare-concern'], urgency: 'urgent', municipalityCode: '179', language: 'fi', legalBasis: 'lsl-25' },
  },
  {
    title: 'a young person identified in the resident e-service asks for company, a self-referral (Laukaa) → NGO youth work',
    key: 'residentEService' as const,
    // The e-service's signed assertion: the person is whoever signed in there; no identity code in the body.
    person: syntheticIdentityCode({ year: 2010, month: 2, day: 2 }, 903),
    body: { submitter: { role: 'resident' }, child: { firstName: 'Veeti', lastName: 'Demola', birthDate: '2010-02-02' }, guardians: [], contact: { email: 'veeti.demola@example.invalid' }, description: 'Haluaisin harrastuksen (demo).', needCodes: ['loneliness-leisure'], urgency: 'routine', municipalityCode: '410', language: 'fi', legalBasis: 'consent' },
  },
];

interface Status {
  state: string;
  lead?: { serviceId: string };
  timeline: { type: string }[];
}

async function statusOf(api: string, id: string, key: string): Promise<Status | undefined> {
  const res = await fetch(`${api}/v1/referrals/${id}`, { headers: { 'x-api-key': key } });
  return res.ok ? ((await res.json()) as Status) : undefined;
}

async function recordConsent(consentApi: string, key: string, identityCode: string, recipients: { organisationId: string }[]): Promise<void> {
  const body = {
    subject: { identityCode },
    grantor: { role: 'guardian' },
    disclosers: [{ organisationId: 'jyvaskyla-education' }],
    recipients,
    dataCategories: ['identity', 'contact', 'guardians', 'need-description'],
    purposes: ['service-provision'],
    legalFramework: '703/2023',
    validUntil: new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString(),
    form: 'electronic',
    recordedBy: { professionalRef: 'demo-teacher' },
    // The school names itself as a recipient, so it records the guardian's form as evidence (SELF_PERMISSION_NEEDS_EVIDENCE otherwise).
    evidenceRef: 'wilma:form:demo',
  };
  const res = await fetch(`${consentApi}/v1/consents`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`recording the demo consent failed: ${res.status} ${await res.text()}`);
}

/** Submits the demo's referrals one by one and says what became of each; returns their ids in order. */
export async function runDemoReferrals(urls: { referralApi: string; consent: string }, keys: DemoKeys, assertPerson: AssertPerson, say: (line?: string) => void): Promise<string[]> {
  const api = urls.referralApi;
  const ids: string[] = [];
  say('Demo referrals:');
  for (const referral of REFERRALS) {
    if ('consent' in referral && referral.consent && 'identityCode' in referral.body.child) {
      await recordConsent(urls.consent, keys[referral.key], referral.body.child.identityCode, referral.consent);
    }
    const person = 'person' in referral && referral.person ? { 'x-polku-person-assertion': await assertPerson({ identityCode: referral.person }) } : {};
    const res = await fetch(`${api}/v1/referrals`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': keys[referral.key], ...person }, body: JSON.stringify(referral.body) });
    const answer = (await res.json()) as { id: string };
    ids.push(answer.id);
    say(`  ${res.status} ${referral.title}`);
    let status = await statusOf(api, answer.id, keys.operator);
    for (let i = 0; i < 40 && (!status || status.timeline.length < 3); i++) {
      await sleep(250);
      status = await statusOf(api, answer.id, keys.operator);
    }
    say(`      state ${status?.state ?? 'pending'}, lead ${status?.lead?.serviceId ?? '-'}, timeline: ${status?.timeline.map((e) => e.type).join(' → ') ?? '-'}`);
    say(`      curl -s -H "x-api-key: $(node -p 'require(\"./.polku/demo-keys.json\").operator')" ${api}/v1/referrals/${answer.id}`);
  }
  return ids;
}
