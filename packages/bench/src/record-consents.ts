import { consentBodies, type BenchKeys } from './referral-mix';

/** The guardians' consents for the school referrals' children, eight at a time. */
export async function recordConsents(consentUrl: string, keys: BenchKeys, children: number): Promise<void> {
  const bodies = consentBodies(children);
  const post = async (body: object) => {
    const res = await fetch(`${consentUrl}/v1/consents`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': keys.school }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`recording a consent failed: ${res.status} ${await res.text()}`);
  };
  for (let i = 0; i < bodies.length; i += 8) await Promise.all(bodies.slice(i, i + 8).map(post));
}
