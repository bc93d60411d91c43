import { createDatabase } from '@polku/db';
import { createLogger, sqlApiKeyStore, type KeyGrant } from '@polku/service-kit';

/** What one key is issued for: organisation, system, roles and the services it acts for. */
export type KeyRequest = KeyGrant;

/** Issues one API key per request, straight into the key table every service reads. */
export async function issueApiKeys<N extends string>(databaseUrl: string, requests: Record<N, KeyRequest>): Promise<Record<N, string>> {
  const db = createDatabase({ url: databaseUrl, applicationName: 'launcher', logger: createLogger({ service: 'launcher', level: 'warn' }), timeoutMs: 10_000 });
  try {
    const store = sqlApiKeyStore(db);
    const keys = {} as Record<N, string>;
    for (const [name, request] of Object.entries(requests) as [N, KeyRequest][]) keys[name] = (await store.issue(request)).key;
    return keys;
  } finally {
    await db.close();
  }
}
