import { freePort } from '@polku/infra';
import type { BackboneSecrets } from './secrets';
import { startServiceProcess, type ServiceProcess, type ServiceSpec } from './service-process';

export const SERVICE_NAMES = ['school', 'referralApi', 'router', 'adapterHost'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface BackboneOptions {
  kafkaBrokers: string;
  redisUrl: string;
  secrets: BackboneSecrets;
  /** Where each process's output goes, one file per service. */
  logDir: string;
  /** @defaultValue a free loopback port for each */
  ports?: Partial<Record<ServiceName, number>>;
  /** @defaultValue info */
  logLevel?: string;
  /** Extra settings per service, e.g. shortened SLA deadlines for a test. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** The backbone's services and the stand-in school system, each its own process. */
export interface Backbone {
  processes: Record<ServiceName, ServiceProcess>;
  urls: Record<ServiceName, string>;
  /** Starts a service again with the same settings (after `stop` or `kill`). */
  restart(name: ServiceName): Promise<ServiceProcess>;
  /** Stops every process gracefully. */
  stop(): Promise<void>;
}

function specs(o: BackboneOptions, ports: Record<ServiceName, number>): Record<ServiceName, ServiceSpec> {
  const common = { KAFKA_BROKERS: o.kafkaBrokers, REDIS_URL: o.redisUrl, LOG_LEVEL: o.logLevel ?? 'info' };
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  return {
    school: {
      name: 'stub-school', entry: 'adapters/education-school/stub/server.ts', port: ports.school, readyPath: '/_stub/deliveries',
      env: { ...common, STUB_PORT: String(ports.school), STUB_SECRET: o.secrets.schoolSharedSecret, ...o.env?.school },
    },
    referralApi: {
      name: 'referral-api', entry: 'services/referral-api/src/server.ts', port: ports.referralApi,
      env: { ...common, POLKU_VAULT_KEY: o.secrets.vaultKey, POLKU_PSEUDONYM_KEY: o.secrets.pseudonymKey, POLKU_PUBLIC_URL: url('referralApi'), ...o.env?.referralApi },
    },
    router: { name: 'router', entry: 'services/router/src/server.ts', port: ports.router, env: { ...common, ...o.env?.router } },
    adapterHost: {
      name: 'adapter-host', entry: 'services/adapter-host/src/server.ts', port: ports.adapterHost,
      env: { ...common, POLKU_PUBLIC_URL: url('adapterHost'), POLKU_EDUCATION_SCHOOL_URL: url('school'), POLKU_EDUCATION_SCHOOL_SECRET: o.secrets.schoolSharedSecret, ...o.env?.adapterHost },
    },
  };
}

export async function launchBackbone(o: BackboneOptions): Promise<Backbone> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) ports[name] = o.ports?.[name] ?? (await freePort());
  const all = specs(o, ports);
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
    async restart(name) {
      processes[name] = await startServiceProcess(all[name], o.logDir);
      return processes[name];
    },
    async stop() {
      // The front door first, the stand-in school last, so nothing new arrives while others stop.
      for (const name of ['referralApi', 'router', 'adapterHost', 'school'] as const) await processes[name].stop();
    },
  };
}
