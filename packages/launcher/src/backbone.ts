import { freePort, migrate } from '@polku/infra';
import { issueApiKeys, type KeyRequest } from './api-keys';
import type { BackboneSecrets } from './secrets';
import { startServiceProcess, type ServiceProcess, type ServiceSpec } from './service-process';

export const SERVICE_NAMES = ['school', 'ngo', 'consent', 'referralApi', 'router', 'adapterHost'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface BackboneOptions {
  kafkaBrokers: string;
  redisUrl: string;
  /** The database every service migrates at start and keeps its durable state in. */
  databaseUrl: string;
  secrets: BackboneSecrets;
  /** Where each process's output goes, one file per service. */
  logDir: string;
  /** @defaultValue a free loopback port for each */
  ports?: Partial<Record<ServiceName, number>>;
  /** @defaultValue info */
  logLevel?: string;
  /** Extra settings per service, e.g. shortened SLA deadlines for a test. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * Runs the backbone on its own topics and consumer groups (`<namespace>.…`) and its own Redis
   * key prefixes, beside any other backbone on the same broker and Redis. @defaultValue none
   */
  namespace?: string;
}

/** The backbone's services and the stand-in school system, each its own process. */
export interface Backbone {
  processes: Record<ServiceName, ServiceProcess>;
  urls: Record<ServiceName, string>;
  /** Starts a service again (after `stop` or `kill`) with the same settings, plus any given. */
  restart(name: ServiceName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Stops every process gracefully. */
  stop(): Promise<void>;
}

/**
 * Organisations each adapter reaches (its defaults); the adapter fetches a referral's details
 * with the key of the organisation it delivers to.
 */
const ADAPTER_ORGANISATIONS = {
  'education.school': ['jyvaskyla-education', 'laukaa-education', 'aanekoski-education'],
  'ngo.webhook': ['mll-keski-suomi', 'keski-suomen-setlementti', 'keski-suomen-nuorisotuki'],
};

interface InternalKeys {
  backbone: string;
  /** `organisationId=key,…` per adapter */
  adapters: Record<keyof typeof ADAPTER_ORGANISATIONS, string>;
}

/** Keys the services themselves use: one to ask the consent service, one per organisation an adapter serves. */
async function internalKeys(databaseUrl: string): Promise<InternalKeys> {
  const requests: Record<string, KeyRequest> = { backbone: { organisationId: 'polku', systemId: 'backbone', roles: ['backbone'] } };
  for (const [systemId, orgs] of Object.entries(ADAPTER_ORGANISATIONS)) {
    for (const org of orgs) requests[`${systemId}/${org}`] = { organisationId: org, systemId, roles: ['recipient'] };
  }
  const keys: Record<string, string> = await issueApiKeys<string>(databaseUrl, requests);
  const pairs = (systemId: keyof typeof ADAPTER_ORGANISATIONS) => ADAPTER_ORGANISATIONS[systemId].map((org) => `${org}=${keys[`${systemId}/${org}`]}`).join(',');
  return { backbone: keys.backbone!, adapters: { 'education.school': pairs('education.school'), 'ngo.webhook': pairs('ngo.webhook') } };
}

function specs(o: BackboneOptions, ports: Record<ServiceName, number>, keys: InternalKeys): Record<ServiceName, ServiceSpec> {
  const common = { KAFKA_BROKERS: o.kafkaBrokers, REDIS_URL: o.redisUrl, DATABASE_URL: o.databaseUrl, LOG_LEVEL: o.logLevel ?? 'info', ...namespaceSettings(o.namespace) };
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  const consent = { POLKU_CONSENT_URL: url('consent'), POLKU_CONSENT_KEY: keys.backbone };
  return {
    school: {
      name: 'stub-school', entry: 'adapters/education-school/stub/server.ts', port: ports.school, readyPath: '/_stub/deliveries',
      env: { ...common, STUB_PORT: String(ports.school), STUB_SECRET: o.secrets.schoolSharedSecret, ...o.env?.school },
    },
    ngo: {
      name: 'stub-ngo', entry: 'adapters/ngo-webhook/stub/server.ts', port: ports.ngo, readyPath: '/_stub/deliveries',
      env: { ...common, STUB_PORT: String(ports.ngo), STUB_SECRET: o.secrets.ngoSharedSecret, ...o.env?.ngo },
    },
    consent: {
      name: 'consent', entry: 'services/consent/src/server.ts', port: ports.consent,
      env: { ...common, POLKU_PSEUDONYM_KEY: o.secrets.pseudonymKey, POLKU_PUBLIC_URL: url('consent'), ...o.env?.consent },
    },
    referralApi: {
      name: 'referral-api', entry: 'services/referral-api/src/server.ts', port: ports.referralApi,
      env: { ...common, ...consent, POLKU_VAULT_KEYS: o.secrets.vaultKeys, POLKU_PSEUDONYM_KEY: o.secrets.pseudonymKey, POLKU_PUBLIC_URL: url('referralApi'), ...o.env?.referralApi },
    },
    router: { name: 'router', entry: 'services/router/src/server.ts', port: ports.router, env: { ...common, ...consent, ...o.env?.router } },
    adapterHost: {
      name: 'adapter-host', entry: 'services/adapter-host/src/server.ts', port: ports.adapterHost,
      env: {
        ...common, ...consent, POLKU_PUBLIC_URL: url('adapterHost'), POLKU_REFERRAL_API_URL: url('referralApi'),
        POLKU_EDUCATION_SCHOOL_URL: url('school'), POLKU_EDUCATION_SCHOOL_SECRET: o.secrets.schoolSharedSecret, POLKU_EDUCATION_SCHOOL_KEYS: keys.adapters['education.school'],
        POLKU_NGO_WEBHOOK_URL: url('ngo'), POLKU_NGO_WEBHOOK_SECRET: o.secrets.ngoSharedSecret, POLKU_NGO_WEBHOOK_KEYS: keys.adapters['ngo.webhook'],
        ...o.env?.adapterHost,
      },
    },
  };
}

/** A namespace reaches every setting that names a topic, a group or a Redis key. */
function namespaceSettings(namespace: string | undefined): Record<string, string> {
  if (!namespace) return {};
  const prefix = `polku-${namespace}`;
  return { POLKU_NAMESPACE: namespace, POLKU_QUEUE_PREFIX: prefix };
}

export async function launchBackbone(o: BackboneOptions): Promise<Backbone> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) ports[name] = o.ports?.[name] ?? (await freePort());
  // Migrated once here, so the services starting together find the tables in place.
  await migrate(o.databaseUrl);
  const all = specs(o, ports, await internalKeys(o.databaseUrl));
  const started = await Promise.allSettled(SERVICE_NAMES.map((name) => startServiceProcess(all[name], o.logDir)));
  const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw new Error(failed.map((r) => (r.reason as Error).message).join('\n\n'));
  }
  const processes = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, (started[i] as PromiseFulfilledResult<ServiceProcess>).value])) as Record<ServiceName, ServiceProcess>;
  return {
    processes,
    urls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>,
    async restart(name, env = {}) {
      all[name] = { ...all[name], env: { ...all[name].env, ...env } };
      processes[name] = await startServiceProcess(all[name], o.logDir);
      return processes[name];
    },
    async stop() {
      // The front door first, the stand-in school last, so nothing new arrives while others stop.
      for (const name of ['referralApi', 'router', 'adapterHost', 'consent', 'school', 'ngo'] as const) await processes[name].stop();
    },
  };
}
