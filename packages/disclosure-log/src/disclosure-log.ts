import type { CloudEvent } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { enqueue } from '@polku/outbox';

export interface DisclosureLogOptions {
  /** TOPICS.disclosure, or a test's fresh topic. */
  topic: string;
  /** The service writing the entries (`referral-api`, `consent`, `adapter-host`): the signer. */
  writer: string;
}

/**
 * Where a service writes disclosure-log entries (a release, a refusal, a lookup). Every writer
 * goes through here so that every entry is written the same way: committed in the caller's
 * transaction through the outbox, so an entry exists if and only if the act it records does.
 */
export interface DisclosureLog {
  readonly topic: string;
  readonly writer: string;
  record(tx: Sql, event: CloudEvent): Promise<void>;
}

export function disclosureLog(options: DisclosureLogOptions): DisclosureLog {
  return {
    topic: options.topic,
    writer: options.writer,
    record: (tx, event) => enqueue(tx, options.topic, event),
  };
}
