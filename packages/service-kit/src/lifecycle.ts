import type { Logger } from 'pino';

/** Something a process must close on the way out, in the order registered. */
export interface Closeable {
  name: string;
  close: () => Promise<void>;
}

export interface CloseOptions {
  /**
   * Also close when stdin reaches its end. The launcher (`packages/launcher`) gives each process
   * a pipe as stdin that only the launcher holds: the kernel closes it however the launcher
   * ends, SIGKILL included, so a process never outlives the launcher that was to stop it.
   * Only for a process whose stdin is such a pipe (stdin from a terminal or /dev/null ends at
   * other times), hence opt-in. @defaultValue POLKU_EXIT_WITH_PARENT=1, which the launcher sets
   */
  exitWithParent?: boolean;
}

/**
 * The one shutdown of every Polku process: on SIGTERM or SIGINT (or its launcher's end, see
 * `CloseOptions`) close each resource in order (stop taking work first, then finish in-flight
 * work, then connections), then exit. A second signal, or the grace period running out, exits at once.
 * @param graceMs @defaultValue 15000
 */
export function closeOnSignal(logger: Logger, resources: Closeable[], graceMs = 15_000, options: CloseOptions = {}): void {
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
  // Read here rather than in each service's config.ts: the setting is the launcher's, not the service's.
  // A launcher gone while this process closes already is no reason to hurry it (unlike a second signal).
  if (options.exitWithParent ?? process.env['POLKU_EXIT_WITH_PARENT'] === '1') closeWhenStdinEnds(() => void (closing || shutdown('launcher gone (stdin closed)')));
}

function closeWhenStdinEnds(close: () => void): void {
  const stdin = process.stdin;
  stdin.once('end', close);
  stdin.once('error', close);
  stdin.resume();
  // Watching stdin must not keep a process alive that would otherwise exit.
  (stdin as { unref?: () => void }).unref?.();
}
