import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ensureKafkaBroker, ensurePostgres, ensureRedis, freezeProcess, ownBrokerPid, stopOwnPostgres, stopOwnRedis, thawProcess, type InfraConfig } from '@polku/infra';
import type { Backbone, ScalableService } from '@polku/launcher';

/** What a fault acts on: the backbone's processes and the infrastructure Polku started for it. */
export interface FaultContext {
  backbone: Backbone;
  /** The configuration the broker, Redis and PostgreSQL were started with (Polku's own, never the machine's). */
  infra: InfraConfig;
  redisUrl: string;
  say: (line: string) => void;
}

/** One thing that goes wrong during a burst. */
export interface Fault {
  id: string;
  /** The row's label in the table. */
  label: string;
  inject(ctx: FaultContext): Promise<void>;
}

const SERVICE_LABELS: Record<ScalableService, string> = {
  referralApi: 'referral API', router: 'router', consent: 'consent service', adapterHost: 'adapter host', disclosureSealer: 'disclosure sealer', console: 'console',
};
const quiet = () => {};

function killOne(service: keyof typeof SERVICE_LABELS): Fault {
  return {
    id: `kill-one-${service}`,
    label: `kill -9 one of two ${SERVICE_LABELS[service]} instances, restarted after 5 s`,
    async inject(ctx) {
      await ctx.backbone.instances[service][0]!.kill();
      await sleep(5000);
      await ctx.backbone.restart(service, {}, 0);
    },
  };
}

function killEvery(service: keyof typeof SERVICE_LABELS): Fault {
  return {
    id: `kill-all-${service}`,
    label: `kill -9 every ${SERVICE_LABELS[service]} instance (none left), restarted after 5 s`,
    async inject(ctx) {
      const instances = ctx.backbone.instances[service];
      await Promise.all(instances.map((p) => p.kill()));
      await sleep(5000);
      for (let i = 0; i < instances.length; i++) await ctx.backbone.restart(service, {}, i);
    },
  };
}

const brokerKill: Fault = {
  id: 'broker-kill',
  label: 'broker SIGKILL, started again after 3 s',
  async inject(ctx) {
    process.kill(ownBrokerPid(ctx.infra)!, 'SIGKILL');
    await sleep(3000);
    await ensureKafkaBroker(ctx.infra, quiet);
  },
};

const brokerFreeze: Fault = {
  id: 'broker-freeze',
  label: 'broker frozen 15 s (SIGSTOP, then SIGCONT)',
  async inject(ctx) {
    const pid = ownBrokerPid(ctx.infra)!;
    await freezeProcess(pid);
    try {
      await sleep(15_000);
    } finally {
      thawProcess(pid);
    }
  },
};

const redisRestart: Fault = {
  id: 'redis-restart',
  label: 'Redis restarted (its append-only file kept)',
  async inject(ctx) {
    await stopOwnRedis(ctx.infra, quiet);
    await sleep(1000);
    await ensureRedis(ctx.infra, quiet);
  },
};

const redisFlush: Fault = {
  id: 'redis-flushall',
  label: 'Redis FLUSHALL',
  async inject(ctx) {
    const redis = new Redis(ctx.redisUrl);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
  },
};

const postgresRestart: Fault = {
  id: 'postgres-restart',
  label: "Polku's own PostgreSQL restarted (fast shutdown, started again)",
  async inject(ctx) {
    await stopOwnPostgres(ctx.infra, quiet, 'fast');
    await sleep(2000);
    await ensurePostgres(ctx.infra, quiet);
  },
};

const SERVICES = ['router', 'adapterHost', 'consent', 'referralApi'] as const;

/** Every fault of `npm run chaos`, in the order they are run. */
export const FAULTS: readonly Fault[] = [
  ...SERVICES.map(killOne),
  ...SERVICES.map(killEvery),
  brokerKill,
  brokerFreeze,
  redisRestart,
  redisFlush,
  postgresRestart,
];
