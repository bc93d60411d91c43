/** What a stand-in receiving system took, as its admin API says (one entry per idempotency key). */
interface StubDelivery {
  idempotencyKey: string;
  referralId: string;
  answers: number[];
}

export interface ReceiverCounts {
  /** Referrals this system took under more than one idempotency key: acted on twice, a duplicate. */
  duplicated: string[];
  /** POSTs beyond the first under one key (retries at least once, which the key makes harmless). */
  repeatedPosts: number;
}

/**
 * Duplicates as the receiving system sees them once it de-duplicates by the idempotency key: the
 * same referral (each stand-in is one recipient) taken under two keys.
 */
export async function receiverCounts(stubUrls: readonly string[], referralIds: ReadonlySet<string>): Promise<ReceiverCounts> {
  const duplicated: string[] = [];
  let repeatedPosts = 0;
  for (const url of stubUrls) {
    const { deliveries } = (await (await fetch(`${url}/_stub/deliveries`)).json()) as { deliveries: StubDelivery[] };
    const keysOf = new Map<string, Set<string>>();
    for (const d of deliveries) {
      if (!referralIds.has(d.referralId)) continue;
      keysOf.set(d.referralId, (keysOf.get(d.referralId) ?? new Set()).add(d.idempotencyKey));
      repeatedPosts += Math.max(0, d.answers.length - 1);
    }
    for (const [referralId, keys] of keysOf) if (keys.size > 1) duplicated.push(referralId);
  }
  return { duplicated, repeatedPosts };
}
