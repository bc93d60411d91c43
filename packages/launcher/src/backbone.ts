import { loadCatalogue } from '@polku/catalogue';
import { join } from 'node:path';
import { freePort, migrate } from '@polku/infra';
import { standInResidentEService, type StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { ACR_MFA, startStandInIdentityProvider, type StandInIdentityProvider } from '@polku/stand-in-idp';
import { bundleServices } from './bundle-services';
import { issueApiKeys, type KeyRequest } from './api-keys';
import { PORT_SETTINGS, SERVICE_NAMES, type ScalableService, type ServiceName } from './config';
import { PortInUse, type BusyPort } from './errors';
import { claimProcessRecord, type ProcessRecord } from './process-record';
import type { BackboneSecrets, DisclosureSigner } from './secrets';
import { busyPort, startServiceProcess, type ServiceProcess, type ServiceSpec, type StartOptions } from './service-process';
import { sayOnStderr, within, type Say } from './terminate';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

export { SERVICE_NAMES, type ServiceName } from './config';

export interface BackboneOptions {
  kafkaBrokers: string;
  redisUrl: string;
  /** The database every service migrates at start and keeps its durable state in. */
  databaseUrl: string;
  secrets: BackboneSecrets;
  /** Where each process's output goes, one file per service. */
  logDir: string;
  /**
   * The file naming every process started (pid, start time, command line), so that a launch
   * after a launcher that died stops what it left running. @defaultValue `<logDir>/processes.json`
   */
  recordFile?: string;
  /** @defaultValue a free loopback port for each (`npm start` uses `loadDemoPorts`) */
  ports?: Partial<Record<ServiceName, number>>;
  /** How long a stop waits after SIGTERM before it kills a process. @defaultValue 10000 */
  stopGraceMs?: number;
  /** Where the launcher says what it had to kill. @defaultValue `[polku] …` on stderr */
  say?: Say;
  /** @defaultValue info */
  logLevel?: string;
  /** Extra settings per service, e.g. shortened SLA deadlines for a test. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * Runs the backbone on its own topics and consumer groups (`<namespace>.…`) and its own Redis
   * key prefixes, beside any other backbone on the same broker and Redis. @defaultValue none
   */
  namespace?: string;
  /**
   * Instances of each service (`parseInstances` reads POLKU_INSTANCES). Several share the work:
   * consumer groups split the partitions, one outbox relay leads, BullMQ hands each job to one
   * worker; a round-robin proxy on the service's port spreads HTTP over them. The stand-in systems
   * keep what they received in memory, so they always run once. @defaultValue 1 each
   */
  instances?: Partial<Record<ScalableService, number>>;
  /**
   * The resident e-service the services trust to vouch for a person (POLKU_RESIDENT_E_SERVICE).
   * @defaultValue a fresh stand-in (`@polku/service-kit/stand-in-e-service`), for the demo and tests
   */
  residentEService?: StandInResidentEService;
}

/** The resident e-service as the launcher set it up: its signer (a stand-in) and its `resident` key. */
export interface ResidentEService {
  eService: StandInResidentEService;
  /** Its API key: role `resident`, for the wellbeing area's online service. */
  key: string;
}

/** The backbone's services and the stand-in school system, each its own process (or several). */
export interface Backbone {
  /** The first instance of each service. */
  processes: Record<ServiceName, ServiceProcess>;
  /** Every instance of each service. */
  instances: Record<ServiceName, ServiceProcess[]>;
  /** Where each service answers: its one instance, or the round-robin proxy in front of its instances. */
  urls: Record<ServiceName, string>;
  /** The resident e-service the services trust, with its key: how to act as a resident (docs/keys.md). */
  residentEService: ResidentEService;
  /** The STAND-IN identity provider the console's pages sign people in through, and its people. */
  consoleIdentityProvider: StandInIdentityProvider;
  /** Starts an instance of a service again (after `stop` or `kill`) with the same settings, plus any given. */
  restart(name: ServiceName, env?: Record<string, string>, instance?: number): Promise<ServiceProcess>;
  /** Stops every process gracefully (SIGTERM, then SIGKILL after the grace period), in the order of `STOP_STAGES`. */
  stop(): Promise<void>;
  /** SIGKILL to every process at once: for a second Ctrl-C. */
  kill(): Promise<void>;
}

/**
 * The order the processes stop in: the front door first, so nothing new arrives; the stand-ins
 * last, so deliveries still in flight reach them. Each stage waits for the one before at most
 * STAGE_WAIT_MS, so a process slow to stop (its grace period running on) holds up nobody else.
 */
const STOP_STAGES: ServiceName[][] = [['referralApi', 'console'], ['router', 'adapterHost'], ['consent'], ['disclosureSealer', 'school', 'ngo']];
const STAGE_WAIT_MS = 2_000;

async function stopInStages(instances: Record<ServiceName, ServiceProcess[]>): Promise<void> {
  const stopping: Promise<void>[] = [];
  for (const stage of STOP_STAGES) {
    const stageStopping = stage.flatMap((name) => instances[name].map((p) => p.stop()));
    stopping.push(...stageStopping);
    await within(Promise.all(stageStopping), STAGE_WAIT_MS);
  }
  await Promise.all(stopping);
}

/**
 * Organisations each adapter reaches (its defaults); the adapter fetches a referral's details
 * with the key of the organisation it delivers to.
 */
const ADAPTER_ORGANISATIONS = {
  'education.school': ['jyvaskyla-education', 'laukaa-education', 'aanekoski-education'],
  'ngo.webhook': ['mll-keski-suomi', 'keski-suomen-setlementti', 'keski-suomen-nuorisotuki'],
};

/** The backbone services that call another service, each with a key of its own (revocable alone). */
const BACKBONE_CALLERS = ['referralApi', 'router', 'adapterHost', 'consent'] as const;
type BackboneCaller = (typeof BACKBONE_CALLERS)[number];

/** The system id a backbone service's key names, as the key audit and logs show it. */
const SYSTEM_IDS: Record<BackboneCaller, string> = { referralApi: 'referral-api', router: 'router', adapterHost: 'adapter-host', consent: 'consent' };

/** The organisation that runs the resident e-service (the wellbeing area's online service). */
const RESIDENT_E_SERVICE_GRANT: KeyRequest = { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'resident-e-service', roles: ['resident'] };

interface InternalKeys {
  /** One `backbone` key per service that calls another (the consent service's decisions). */
  services: Record<BackboneCaller, string>;
  /** `organisationId=key,…` per adapter */
  adapters: Record<keyof typeof ADAPTER_ORGANISATIONS, string>;
  /** The resident e-service's key (role `resident`). */
  resident: string;
}

/**
 * Keys the services themselves use: one per backbone service (so one can be rotated or revoked
 * without the others), one per organisation an adapter serves, and the resident e-service's. An
 * adapter's key acts for the catalogue services of that organisation it delivers to, which are all
 * of the organisation's services in the shipped catalogue.
 */
async function internalKeys(databaseUrl: string): Promise<InternalKeys> {
  const catalogue = await loadCatalogue();
  const servicesOf = (org: string) => catalogue.services.filter((s) => s.organisationId === org).map((s) => s.id);
  const requests: Record<string, KeyRequest> = { resident: RESIDENT_E_SERVICE_GRANT };
  for (const name of BACKBONE_CALLERS) requests[`backbone/${name}`] = { organisationId: 'polku', systemId: SYSTEM_IDS[name], roles: ['backbone'] };
  for (const [systemId, orgs] of Object.entries(ADAPTER_ORGANISATIONS)) {
    for (const org of orgs) requests[`${systemId}/${org}`] = { organisationId: org, systemId, roles: ['recipient'], services: servicesOf(org) };
  }
  const keys: Record<string, string> = await issueApiKeys<string>(databaseUrl, requests);
  const pairs = (systemId: keyof typeof ADAPTER_ORGANISATIONS) => ADAPTER_ORGANISATIONS[systemId].map((org) => `${org}=${keys[`${systemId}/${org}`]}`).join(',');
  const services = Object.fromEntries(BACKBONE_CALLERS.map((name) => [name, keys[`backbone/${name}`]!])) as Record<BackboneCaller, string>;
  return { services, adapters: { 'education.school': pairs('education.school'), 'ngo.webhook': pairs('ngo.webhook') }, resident: keys.resident! };
}

function specs(o: BackboneOptions, ports: Record<ServiceName, number>, keys: InternalKeys, eService: StandInResidentEService, idp: StandInIdentityProvider): Record<ServiceName, ServiceSpec> {
  const common = {
    KAFKA_BROKERS: o.kafkaBrokers, REDIS_URL: o.redisUrl, DATABASE_URL: o.databaseUrl, LOG_LEVEL: o.logLevel ?? 'info', ...namespaceSettings(o.namespace),
    POLKU_RESIDENT_E_SERVICE: JSON.stringify(eService.trust),
  };
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  // Each service's own key: at the consent service, and as POLKU_BACKBONE_KEY for any other call it makes.
  const consentAs = (name: BackboneCaller) => ({ POLKU_CONSENT_URL: url('consent'), POLKU_CONSENT_KEY: keys.services[name], POLKU_BACKBONE_KEY: keys.services[name] });
  // Each service signs what it writes to the disclosure log with its own key.
  const signing = (signer: DisclosureSigner) => ({ POLKU_DISCLOSURE_SIGNING_KEY: o.secrets.disclosureSigningKeys[signer] });
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
      env: { ...common, ...signing('consent'), POLKU_BACKBONE_KEY: keys.services.consent, POLKU_PSEUDONYM_KEY: o.secrets.pseudonymKey, POLKU_PUBLIC_URL: url('consent'), ...o.env?.consent },
    },
    referralApi: {
      name: 'referral-api', entry: 'services/referral-api/src/server.ts', port: ports.referralApi,
      env: { ...common, ...consentAs('referralApi'), ...signing('referral-api'), POLKU_VAULT_KEYS: o.secrets.vaultKeys, POLKU_PSEUDONYM_KEY: o.secrets.pseudonymKey, POLKU_PUBLIC_URL: url('referralApi'), ...o.env?.referralApi },
    },
    router: { name: 'router', entry: 'services/router/src/server.ts', port: ports.router, env: { ...common, ...consentAs('router'), ...o.env?.router } },
    adapterHost: {
      name: 'adapter-host', entry: 'services/adapter-host/src/server.ts', port: ports.adapterHost,
      env: {
        ...common, ...consentAs('adapterHost'), ...signing('adapter-host'), POLKU_PUBLIC_URL: url('adapterHost'), POLKU_REFERRAL_API_URL: url('referralApi'),
        POLKU_EDUCATION_SCHOOL_URL: url('school'), POLKU_EDUCATION_SCHOOL_SECRET: o.secrets.schoolSharedSecret, POLKU_EDUCATION_SCHOOL_KEYS: keys.adapters['education.school'],
        POLKU_NGO_WEBHOOK_URL: url('ngo'), POLKU_NGO_WEBHOOK_SECRET: o.secrets.ngoSharedSecret, POLKU_NGO_WEBHOOK_KEYS: keys.adapters['ngo.webhook'],
        ...o.env?.adapterHost,
      },
    },
    // The console reads the topics, queues and tables, and polls every service's readiness.
    console: {
      name: 'console', entry: 'services/console/src/server.ts', port: ports.console,
      env: {
        ...common, POLKU_REFERRAL_API_URL: url('referralApi'), POLKU_ROUTER_URL: url('router'), POLKU_ADAPTER_HOST_URL: url('adapterHost'),
        POLKU_CONSENT_URL: url('consent'), POLKU_DISCLOSURE_SEALER_URL: url('disclosureSealer'),
        POLKU_CONSOLE_PUBLIC_URL: url('console'), POLKU_CONSOLE_OIDC_ISSUER: idp.issuer, POLKU_CONSOLE_OIDC_CLIENT_ID: idp.clientId,
        POLKU_CONSOLE_OIDC_CLIENT_SECRET: idp.clientSecret, POLKU_CONSOLE_OIDC_ALLOW_HTTP: 'true', POLKU_CONSOLE_MFA_ACR: ACR_MFA, ...o.env?.console,
      },
    },
    disclosureSealer: {
      name: 'disclosure-sealer', entry: 'services/disclosure-sealer/src/server.ts', port: ports.disclosureSealer,
      env: { ...common, ...signing('disclosure-sealer'), POLKU_DISCLOSURE_PUBLIC_KEYS: o.secrets.disclosurePublicKeys, ...o.env?.disclosureSealer },
    },
  };
}

/** Each spec with what its port is for and the setting that moves it, for a taken port's message. */
function described(all: Record<ServiceName, ServiceSpec>): Record<ServiceName, ServiceSpec> {
  for (const name of SERVICE_NAMES) all[name] = { ...all[name], what: PORT_SETTINGS[name].what, portSetting: PORT_SETTINGS[name].setting };
  return all;
}

/** Each spec with its entry built (`bundleServices`), all in one build. */
async function bundled(all: Record<ServiceName, ServiceSpec>, outDir: string): Promise<Record<ServiceName, ServiceSpec>> {
  const bundles = await bundleServices([...new Set(SERVICE_NAMES.map((name) => all[name].entry))], outDir);
  for (const name of SERVICE_NAMES) all[name] = { ...all[name], bundle: bundles[all[name].entry] };
  return all;
}

/** A namespace reaches every setting that names a topic, a group or a Redis key. */
function namespaceSettings(namespace: string | undefined): Record<string, string> {
  if (!namespace) return {};
  const prefix = `polku-${namespace}`;
  return { POLKU_NAMESPACE: namespace, POLKU_QUEUE_PREFIX: prefix };
}

/** Every taken port at once, before anything is migrated or started. */
async function checkPorts(ports: Record<ServiceName, number>, instancePorts: Record<ServiceName, number[]>): Promise<void> {
  const busy = await Promise.all(SERVICE_NAMES.flatMap((name) => [
    busyPort(ports[name], PORT_SETTINGS[name].what, PORT_SETTINGS[name].setting),
    ...(instancePorts[name].length > 1 ? instancePorts[name].map((port, i) => busyPort(port, `${PORT_SETTINGS[name].what} (instance ${i + 1})`)) : []),
  ]));
  const taken = busy.filter((b): b is BusyPort => b !== undefined);
  if (taken.length > 0) throw new PortInUse(taken);
}

/** The spec of one instance: its own port and log file when there are several. */
function instanceSpec(spec: ServiceSpec, instancePorts: number[], i: number): ServiceSpec {
  if (instancePorts.length === 1) return spec;
  return { ...spec, name: `${spec.name}-${i + 1}`, port: instancePorts[i]!, what: `${spec.what ?? spec.name} (instance ${i + 1})`, portSetting: undefined };
}

async function startAll(all: Record<ServiceName, ServiceSpec>, instancePorts: Record<ServiceName, number[]>, logDir: string, options: StartOptions): Promise<Record<ServiceName, ServiceProcess[]>> {
  const plan = SERVICE_NAMES.flatMap((name) => instancePorts[name].map((_, i) => ({ name, spec: instanceSpec(all[name], instancePorts[name], i) })));
  const started = await Promise.allSettled(plan.map(({ spec }) => startServiceProcess(spec, logDir, options)));
  const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw failed.length === 1 ? failed[0]!.reason : new Error(failed.map((r) => (r.reason as Error).message).join('\n\n'));
  }
  const instances = Object.fromEntries(SERVICE_NAMES.map((name) => [name, [] as ServiceProcess[]])) as Record<ServiceName, ServiceProcess[]>;
  plan.forEach(({ name }, i) => instances[name].push((started[i] as PromiseFulfilledResult<ServiceProcess>).value));
  return instances;
}

export async function launchBackbone(o: BackboneOptions): Promise<Backbone> {
  const say = o.say ?? sayOnStderr;
  const stopGraceMs = o.stopGraceMs ?? 10_000;
  // First what an earlier launch on this record left running, so its ports are free again.
  const record: ProcessRecord = await claimProcessRecord(o.recordFile ?? join(o.logDir, 'processes.json'), stopGraceMs, say);
  let instances: Record<ServiceName, ServiceProcess[]>;
  let all: Record<ServiceName, ServiceSpec>;
  const ports = {} as Record<ServiceName, number>;
  const instancePorts = {} as Record<ServiceName, number[]>;
  const proxies: RoundRobinProxy[] = [];
  const eService = o.residentEService ?? (await standInResidentEService());
  let residentEService: ResidentEService;
  let idp: StandInIdentityProvider | undefined;
  try {
    // One at a time, each unlike the ones before: a port chosen is not bound until its service starts.
    const chosen = new Set<number>(Object.values(o.ports ?? {}));
    const nextPort = async () => {
      const port = await freePort(chosen);
      chosen.add(port);
      return port;
    };
    for (const name of SERVICE_NAMES) {
      ports[name] = o.ports?.[name] ?? (await nextPort());
      const count = (o.instances as Partial<Record<ServiceName, number>> | undefined)?.[name] ?? 1;
      instancePorts[name] = [ports[name]];
      if (count > 1) {
        instancePorts[name] = [];
        for (let i = 0; i < count; i++) instancePorts[name].push(await nextPort());
      }
    }
    await checkPorts(ports, instancePorts);
    // Migrated once here, so the services starting together find the tables in place.
    await migrate(o.databaseUrl);
    const keys = await internalKeys(o.databaseUrl);
    residentEService = { eService, key: keys.resident };
    // The console's pages sign people in through a stand-in of the organisation's own provider.
    const consoleUrl = `http://127.0.0.1:${ports.console}`;
    idp = await startStandInIdentityProvider({ redirectUris: [`${consoleUrl}/ui/callback`], postLogoutRedirectUris: [`${consoleUrl}/ui/signed-out`] });
    // The bundles go beside the log folder, not in it: what is in it is log lines only (the e2e tests read them all).
    all = await bundled(described(specs(o, ports, keys, eService, idp)), `${o.logDir}.bundle`);
    instances = await startAll(all, instancePorts, o.logDir, { record, say, stopGraceMs });
    for (const name of SERVICE_NAMES) {
      if (instancePorts[name].length > 1) proxies.push(await startRoundRobinProxy(ports[name], () => instancePorts[name]));
    }
  } catch (error) {
    await Promise.all(proxies.map((p) => p.close()));
    await idp?.close();
    record.release();
    throw error;
  }
  const processes = Object.fromEntries(SERVICE_NAMES.map((name) => [name, instances[name][0]!])) as Record<ServiceName, ServiceProcess>;
  const closeProxies = () => Promise.all(proxies.map((p) => p.close()));
  return {
    processes,
    instances,
    urls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>,
    residentEService,
    consoleIdentityProvider: idp!,
    async restart(name, env = {}, instance = 0) {
      all[name] = { ...all[name], env: { ...all[name].env, ...env } };
      const started = await startServiceProcess(instanceSpec(all[name], instancePorts[name], instance), o.logDir, { record, say, stopGraceMs });
      instances[name][instance] = started;
      if (instance === 0) processes[name] = started;
      return started;
    },
    async stop() {
      await stopInStages(instances);
      await closeProxies();
      await idp!.close();
      record.release();
    },
    async kill() {
      await Promise.all(SERVICE_NAMES.flatMap((name) => instances[name].map((p) => p.kill())));
      await closeProxies();
      await idp!.close();
      record.release();
    },
  };
}
