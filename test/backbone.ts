import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createBus } from '@polku/bus';
import { freshTestDatabase, loadTopicDeclarations } from '@polku/infra';
import { freshSecrets, issueApiKeys, launchBackbone, type Backbone, type BackboneSecrets, type ScalableService } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { testInfra } from './support';
import { readTopics, type TopicRecord } from './topic-reader';

export interface RunningBackbone {
  backbone: Backbone;
  keys: { school: string; otherSchool: string; operator: string; auditor: string };
  secrets: BackboneSecrets;
  logDir: string;
  /** This backbone's topics and consumer groups are `<namespace>.<name>` on the broker. */
  namespace: string;
  /** This backbone's own database. */
  databaseUrl: string;
  /** Everything on these topics of this backbone now, as an operator's topic browser shows it. */
  readTopics(topics: string[]): Promise<TopicRecord[]>;
  /** Stops every process, then deletes the backbone's topics, groups and (if it made it) database. */
  stop(): Promise<void>;
}

/**
 * The whole backbone as processes, on free ports, with deadlines short enough to watch: an SLA of
 * a few seconds instead of working days, retries after 100 ms instead of a second. Each test file
 * gets one of its own, isolated from every other and from earlier runs: its own namespace of topics
 * and groups (so no history from earlier runs is replayed into it), its own database and its own
 * queue prefix in Redis; and two instances of each service unless told otherwise.
 */
export async function startBackbone(options: {
  slaMs: number;
  databaseUrl?: string;
  redisUrl?: string;
  adapterHost?: Record<string, string>;
  /** Set on every backbone service (not the stand-ins), e.g. OTEL_EXPORTER_OTLP_ENDPOINT. */
  env?: Record<string, string>;
  /** @defaultValue two each of the referral API, router, consent service, adapter host and disclosure sealer */
  instances?: Partial<Record<ScalableService, number>>;
}): Promise<RunningBackbone> {
  const infra = testInfra();
  const namespace = `e2e-${randomUUID().slice(0, 8)}`;
  const own = options.databaseUrl ? undefined : await freshTestDatabase(infra.databaseUrl, 'e2e');
  const databaseUrl = options.databaseUrl ?? own!.url;
  const redisUrl = options.redisUrl ?? infra.redisUrl;
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const bus = createBus({ brokers: infra.kafkaBrokers, clientId: 'e2e-backbone', logger, namespace });
  await bus.ensureTopics(loadTopicDeclarations());
  const secrets = freshSecrets();
  // Other tests make hundreds of refused calls from this one client (the access table): the limit
  // of failed authentications is pinned by its own test, not by every e2e run.
  const authFailures = { POLKU_AUTH_FAILURES_PER_MINUTE: '1000000' };
  const logDir = join(resolve(import.meta.dirname, '..'), '.polku', 'e2e-logs', `${new Date().toISOString().replaceAll(':', '-')}-${namespace}`);
  const backbone = await launchBackbone({
    kafkaBrokers: infra.kafkaBrokers.join(','),
    redisUrl,
    databaseUrl,
    secrets,
    logDir,
    namespace,
    // Several instances of every service, as production runs it: consumer groups, the relay's lock
    // and BullMQ share the work, and a round-robin proxy spreads HTTP over them.
    // The console does no work to share: one instance, as a deployment runs it.
    instances: { referralApi: 2, router: 2, consent: 2, adapterHost: 2, disclosureSealer: 2, console: 1, ...options.instances },
    env: {
      // Checkpoints every few hundred milliseconds, so a test sees its disclosures sealed.
      disclosureSealer: { POLKU_SEAL_CHECKPOINT_INTERVAL_MS: '300', ...options.env },
      referralApi: { ...authFailures, ...options.env },
      // Alerts evaluated every second, so a test sees them.
      console: { ...authFailures, ...options.env, POLKU_ALERT_INTERVAL_MS: '1000' },
      consent: { ...authFailures, ...options.env },
      router: { ...authFailures, ...options.env, POLKU_SLA_OVERRIDE_MS: String(options.slaMs), POLKU_FOLLOW_UP_OVERRIDE_MS: String(30 * 24 * 3600 * 1000) },
      adapterHost: { ...authFailures, ...options.env, POLKU_DELIVERY_BACKOFF_MS: '100', ...options.adapterHost },
    },
  });
  const keys = await issueApiKeys(databaseUrl, {
    school: { organisationId: 'jyvaskyla-education', systemId: `wilma-e2e-${randomUUID().slice(0, 6)}`, roles: ['submitter', 'recipient'], services: ['jkl-basic-education', 'jkl-kortepohja-school'] },
    otherSchool: { organisationId: 'laukaa-education', systemId: 'wilma-e2e', roles: ['submitter', 'recipient'], services: ['laukaa-basic-education'] },
    operator: { organisationId: 'polku-operations', systemId: 'console-e2e', roles: ['operator'] },
    auditor: { organisationId: 'polku-audit', systemId: 'console-e2e', roles: ['auditor'] },
  });
  return {
    backbone, keys, secrets, logDir, namespace, databaseUrl,
    readTopics: (topics) => readTopics(topics, namespace),
    async stop() {
      await backbone.stop();
      const admin = await bus.admin();
      await admin.deleteGroups(await admin.listGroups()).catch(() => {});
      await admin.deleteTopics(await admin.listTopics()).catch(() => {});
      await bus.close();
      await own?.drop();
    },
  };
}
