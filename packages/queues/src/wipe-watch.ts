import type { Redis } from 'ioredis';
import { errorCode, type Logger } from '@polku/service-kit';

export interface WipeWatchOptions {
  redis: Redis;
  /** The marker key, under the service's queue prefix, e.g. `polku:router:alive`. */
  key: string;
  logger: Logger;
  /** Puts back every job the service's projections call for; job ids make a repeat harmless. */
  onWiped: () => Promise<unknown>;
  /** @defaultValue 2000 */
  everyMs?: number;
  /**
   * Also rebuilds this often whatever happened, for a job whose add failed while Redis was away
   * (a restart with its data intact does not empty it). @defaultValue 300000 (5 min)
   */
  rebuildEveryMs?: number;
}

export interface WipeWatch {
  /** Looks now (also done every `everyMs` and whenever the connection comes back). */
  check(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Notices, while the service runs, that Redis lost its keys (FLUSHALL, a restart without
 * persistence, a failover to an empty replica): a marker key written at start disappears. Then
 * it writes the marker again and rebuilds the service's jobs from its projections (`onWiped`).
 */
export function watchForWipe(options: WipeWatchOptions): WipeWatch {
  const { redis, key, logger } = options;
  let running: Promise<boolean> | undefined;
  let marked = false;

  async function look(): Promise<boolean> {
    // NX: the first look only writes the marker; a later look that has to write it again found Redis emptied.
    const written = (await redis.set(key, new Date().toISOString(), 'NX')) === 'OK';
    if (!marked) {
      marked = true;
      return false;
    }
    if (!written) return false;
    logger.warn({ key }, 'Redis was emptied while running: rebuilding the queued jobs from the projections');
    const started = Date.now();
    const rebuilt = await options.onWiped();
    logger.info({ ms: Date.now() - started, rebuilt }, 'queued jobs rebuilt');
    return true;
  }

  const check = () => (running ??= look()
    .catch((error) => {
      logger.warn({ code: errorCode(error), err: error }, 'could not look at the queue Redis; looking again shortly');
      return false;
    })
    .finally(() => (running = undefined)));

  const timer = setInterval(() => void check(), options.everyMs ?? 2000);
  timer.unref();
  const sweep = setInterval(() => {
    void options.onWiped().catch((error) => logger.warn({ code: errorCode(error), err: error }, 'rebuilding the queued jobs failed; trying again later'));
  }, options.rebuildEveryMs ?? 300_000);
  sweep.unref();
  const onReady = () => void check();
  redis.on('ready', onReady);
  void check();
  return {
    check,
    async stop() {
      clearInterval(timer);
      clearInterval(sweep);
      redis.off('ready', onReady);
      await running;
    },
  };
}
