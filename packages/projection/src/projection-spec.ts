import type { BackoffOptions, HandlerContext } from '@polku/bus';
import type { CloudEvent } from '@polku/contracts';
import type { Sql } from '@polku/db';

/** What a read model is: where it reads from, how it applies an event, and what it owns. */
export interface ProjectionSpec {
  /**
   * Stable name, e.g. `referral-status`. Its consumer group is `projection.<name>.g<generation>`,
   * and its progress and handled events are stored under it.
   */
  name: string;
  topics: string[];
  /**
   * Applies one event inside the transaction that also records it as handled: whatever it writes
   * commits together with that, or not at all. Throwing rolls everything back and the bus retries
   * (then dead-letters); a `PolkuError` with `retryable: false` dead-letters at once.
   */
  apply: (tx: Sql, event: CloudEvent, context: HandlerContext) => Promise<void>;
  /** The tables holding this projection's rows, emptied by a rebuild. */
  tables: readonly string[];
  /** Partitions handled at once (one subject's events stay in order). @defaultValue 1 */
  partitionConcurrency?: number;
  /** @defaultValue the bus's (5) */
  maxAttempts?: number;
  /** @defaultValue the bus's */
  backoff?: BackoffOptions;
}
