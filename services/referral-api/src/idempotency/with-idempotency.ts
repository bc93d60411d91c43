import type { IdempotencyStore, SubmitAnswer } from './idempotency-store';

export interface Outcome {
  answer: SubmitAnswer;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Runs `work` at most once per organisation and key: claim first, then work, then store the
 * answer. Work that fails frees the key, so the caller's retry can try again.
 */
export async function withIdempotency(
  store: IdempotencyStore,
  scope: { organisationId: string; key: string; fingerprint: string },
  work: () => Promise<SubmitAnswer>,
): Promise<Outcome> {
  const { organisationId, key, fingerprint } = scope;
  const claim = await store.claim(organisationId, key, fingerprint);
  if (claim.outcome === 'replay') return { answer: claim.answer, replayed: true };
  let answer: SubmitAnswer;
  try {
    answer = await work();
  } catch (error) {
    await store.release(organisationId, key);
    throw error;
  }
  await store.complete(organisationId, key, fingerprint, answer);
  return { answer, replayed: false };
}
