import { Redis } from 'ioredis';
import type { Bus } from '@polku/bus';

/**
 * Removes what a namespaced run left behind: its consumer groups, its topics (every record on
 * them) and its BullMQ keys in Redis (`polku-<namespace>:…`, as the launcher sets the prefixes).
 */
export async function removeNamespace(bus: Bus, redisUrl: string, namespace: string): Promise<void> {
  const admin = await bus.admin();
  // A group whose member has not left yet cannot be deleted; its offsets expire with the broker's retention.
  await admin.deleteGroups(await admin.listGroups()).catch(() => {});
  await admin.deleteTopics(await admin.listTopics());
  const redis = new Redis(redisUrl);
  try {
    const stream = redis.scanStream({ match: `polku-${namespace}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}
