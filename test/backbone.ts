import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { freshSecrets, issueApiKeys, launchBackbone, type Backbone, type BackboneSecrets } from '@polku/launcher';
import { testInfra } from './support';

export interface RunningBackbone {
  backbone: Backbone;
  keys: { school: string; otherSchool: string; operator: string };
  secrets: BackboneSecrets;
  logDir: string;
}

/**
 * The whole backbone as processes, on free ports, with deadlines short enough to watch:
 * an SLA of a few seconds instead of working days, retries after 100 ms instead of a second.
 */
export async function startBackbone(options: { slaMs: number; databaseUrl?: string; redisUrl?: string; adapterHost?: Record<string, string> }): Promise<RunningBackbone> {
  const infra = testInfra();
  const { kafkaBrokers } = infra;
  const databaseUrl = options.databaseUrl ?? infra.databaseUrl;
  const redisUrl = options.redisUrl ?? infra.redisUrl;
  const secrets = freshSecrets();
  const logDir = join(resolve(import.meta.dirname, '..'), '.polku', 'e2e-logs', new Date().toISOString().replaceAll(':', '-'));
  const backbone = await launchBackbone({
    kafkaBrokers: kafkaBrokers.join(','),
    redisUrl,
    databaseUrl,
    secrets,
    logDir,
    env: {
      router: { POLKU_SLA_OVERRIDE_MS: String(options.slaMs), POLKU_FOLLOW_UP_OVERRIDE_MS: String(30 * 24 * 3600 * 1000) },
      adapterHost: { POLKU_DELIVERY_BACKOFF_MS: '100', ...options.adapterHost },
    },
  });
  const keys = await issueApiKeys(databaseUrl, {
    school: { organisationId: 'jyvaskyla-education', systemId: `wilma-e2e-${randomUUID().slice(0, 6)}`, roles: ['submitter', 'recipient'] },
    otherSchool: { organisationId: 'laukaa-education', systemId: 'wilma-e2e', roles: ['submitter', 'recipient'] },
    operator: { organisationId: 'polku-operations', systemId: 'console-e2e', roles: ['operator'] },
  });
  return { backbone, keys, secrets, logDir };
}
