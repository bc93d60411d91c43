import { sayOnStderr, type Say } from './terminate';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Repeats this soon after the first signal are the same request passed on again, not a second Ctrl-C. */
const ECHO_MS = 1_000;

/**
 * How a launcher answers signals: the first SIGINT, SIGTERM or SIGHUP (a closed terminal) stops
 * gracefully; the same signal again, a second later or more (a second Ctrl-C), kills everything
 * at once. Anything else while stopping is the first request passed on: under `npm start`, pnpm
 * answers a Ctrl-C by sending SIGTERM on, and tsx sends its child a signal again when the child
 * has not acknowledged it within 30 ms. Exiting is up to `stop` and `kill`.
 */
export function stopOnSignals(stop: () => Promise<void>, kill: () => Promise<void>, say: Say = sayOnStderr): void {
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  let killing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = { signal, at: Date.now() };
      void stop();
    } else if (signal === first.signal && Date.now() - first.at >= ECHO_MS && !killing) {
      killing = true;
      say(`${signal} again while stopping: killing everything now`);
      void kill();
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
