import type { PersonHeaders } from '../person-assertions';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AcceptedReferral } from '../intake-load';
import type { BenchKeys, PreparedReferral } from '../referral-mix';

export interface SubmitTally {
  accepted: AcceptedReferral[];
  /** Answers 503 (each one retried with the same Idempotency-Key). */
  unavailable: number;
  /** Requests that got no answer at all (connection refused or cut; retried likewise). */
  noAnswer: number;
  /** Referrals given up on after `giveUpMs` of retries, and answers other than 202 / 503: never accepted. */
  refused: Record<string, number>;
}

export interface SubmitLoad {
  url: string;
  keys: BenchKeys;
  sequence: readonly PreparedReferral[];
  /** The resident e-service's assertion for a self-referral's person (the backbone's stand-in). @defaultValue none */
  personHeaders?: PersonHeaders;
  referrals: number;
  /** Referrals started per second. */
  rate: number;
  /** Requests in flight at most. @defaultValue 32 */
  concurrency?: number;
  /** A referral still not accepted after this long is given up on (counted, never lost). @defaultValue 120000 */
  giveUpMs?: number;
}

/**
 * Submits referrals as a well-behaved sector system does through an outage: every referral with an
 * Idempotency-Key of its own, and a 503 or a dropped connection retried with the same key (after
 * `Retry-After`) until it is accepted. So a referral is either accepted once or counted as refused;
 * a crash between commit and answer never makes a second one.
 */
export async function submitRetrying(load: SubmitLoad): Promise<SubmitTally> {
  const tally: SubmitTally = { accepted: [], unavailable: 0, noAnswer: 0, refused: {} };
  const giveUpMs = load.giveUpMs ?? 120_000;
  const started = Date.now();
  let next = 0;
  const submitOne = async (index: number) => {
    const prepared = load.sequence[index % load.sequence.length]!;
    const key = randomUUID();
    const sentAt = Date.now();
    for (;;) {
      if (Date.now() - sentAt > giveUpMs) return void (tally.refused['gave up'] = (tally.refused['gave up'] ?? 0) + 1);
      let status: number;
      let body = '';
      let retryAfter = 1;
      try {
        const res = await fetch(`${load.url}/v1/referrals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': load.keys[prepared.submitter], 'idempotency-key': key, ...load.personHeaders?.(prepared) },
          body: prepared.body,
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        body = await res.text();
        retryAfter = Number(res.headers.get('retry-after') ?? 1) || 1;
      } catch {
        tally.noAnswer += 1;
        await sleep(500);
        continue;
      }
      if (status === 202) return void tally.accepted.push({ id: (JSON.parse(body) as { id: string }).id, kind: prepared.kind, sentAt, answeredAt: Date.now() });
      if (status === 503) {
        tally.unavailable += 1;
        await sleep(Math.min(retryAfter, 2) * 1000);
        continue;
      }
      return void (tally.refused[String(status)] = (tally.refused[String(status)] ?? 0) + 1);
    }
  };
  // Workers take the next referral when its start time (at `rate` per second) has come.
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= load.referrals) return;
      const due = started + (index * 1000) / load.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      await submitOne(index);
    }
  };
  await Promise.all(Array.from({ length: load.concurrency ?? 32 }, worker));
  return tally;
}
