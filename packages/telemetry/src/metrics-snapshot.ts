/** What a scrape-time source answered: its rows, and whether they are fresh. */
export interface Snapshot<T> {
  /** The last rows read successfully (empty before the first success). */
  rows: T[];
  /** False when the last read failed or missed its deadline: `rows` are then the last good ones. */
  ok: boolean;
}

export interface SnapshotOptions {
  /** A read this recent is reused: several gauges and scrapers share one read. @defaultValue 5000 */
  ttlMs?: number;
  /** A scrape waits this long for the read, then answers with the last good rows. @defaultValue 1500 */
  deadlineMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * Reads a set of sources at scrape time (consumer lag from the broker, BullMQ counts from Redis,
 * the outbox backlog from PostgreSQL), cached briefly and under a short deadline: a dependency that
 * is down or frozen makes a scrape answer `ok: false` with the last good rows, never hang or fail it.
 * A read still running when the deadline passes is not started again until it settles, so a frozen
 * broker never piles up reads.
 */
export function scrapeSnapshot<S, T>(sources: ReadonlySet<S>, read: (source: S) => Promise<T[]>, options: SnapshotOptions = {}): () => Promise<Snapshot<T>> {
  const ttlMs = options.ttlMs ?? 5000;
  const deadlineMs = options.deadlineMs ?? 1500;
  const now = options.now ?? Date.now;
  let last: Snapshot<T> = { rows: [], ok: true };
  let readAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<Snapshot<T>> | undefined;

  const readAll = async (): Promise<Snapshot<T>> => {
    // Promise.resolve first: a source that throws at once fails like one that rejects.
    const results = await Promise.allSettled([...sources].map((source) => Promise.resolve().then(() => read(source))));
    const failed = results.some((r) => r.status === 'rejected');
    // A source that failed keeps nothing fresh to show: all rows stay the last good ones then.
    if (failed) return { rows: last.rows, ok: false };
    return { rows: results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])), ok: true };
  };

  return async () => {
    if (sources.size === 0) return { rows: [], ok: true };
    if (now() - readAt < ttlMs && !inFlight) return last;
    inFlight ??= readAll().then((snapshot) => {
      last = snapshot;
      readAt = now();
      return snapshot;
    }).finally(() => (inFlight = undefined));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Snapshot<T>>((resolve) => {
      timer = setTimeout(() => resolve({ rows: last.rows, ok: false }), deadlineMs);
      timer.unref();
    });
    try {
      return await Promise.race([inFlight, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
