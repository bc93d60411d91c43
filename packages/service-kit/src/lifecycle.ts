import type { Logger } from 'pino';

/** Something a process must close on the way out, in the order registered. */
export interface Closeable {
  name: string;
  close: () => Promise<void>;
}

/**
 * The one shutdown of every Polku process: on SIGTERM or SIGINT close each resource in
 * order (stop taking work first, then finish in-flight work, then connections), then
 * exit. A second signal, or the grace period running out, exits at once.
 * @param graceMs @defaultValue 15000
 */
export function closeOnSignal(logger: Logger, resources: Closeable[], graceMs = 15_000): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    let failed = false;
    for (const resource of resources) {
      try {
        await resource.close();
      } catch (error) {
        failed = true;
        logger.error({ err: error, resource: resource.name }, 'closing failed');
      }
    }
    logger.info('stopped');
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
