import { Redis } from 'ioredis';
import { redisApiKeyStore, type CallerRole } from '@polku/service-kit';

export interface KeyRequest {
  organisationId: string;
  systemId: string;
  roles: CallerRole[];
}

/** Issues one API key per request, straight into the key store every service reads. */
export async function issueApiKeys<N extends string>(redisUrl: string, requests: Record<N, KeyRequest>): Promise<Record<N, string>> {
  const redis = new Redis(redisUrl);
  try {
    const store = redisApiKeyStore(redis);
    const keys = {} as Record<N, string>;
    for (const [name, request] of Object.entries(requests) as [N, KeyRequest][]) keys[name] = (await store.issue(request)).key;
    return keys;
  } finally {
    redis.disconnect();
  }
}
