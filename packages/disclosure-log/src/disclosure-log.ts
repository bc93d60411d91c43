import type { CloudEvent } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { enqueue } from '@polku/outbox';
import type { SigningKey } from '@polku/service-kit';
import { signEvent } from './signing';

export interface DisclosureLogOptions {
  /** TOPICS.disclosure, or a test's fresh topic. */
  topic: string;
  /** The service writing the entries (`referral-api`, `consent`, `adapter-host`): the signer. */
  writer: string;
  /**
   * The writer's own Ed25519 key (its POLKU_DISCLOSURE_SIGNING_KEY): every entry is signed with it.
   * @defaultValue none: entries go unsigned, and the sealer and `disclosures:verify` name each of
   * them as forged. Only a service not yet given its key should run so.
   */
  signingKey?: SigningKey;
}

/**
 * Where a service writes disclosure-log entries (a release, a refusal, a lookup). Every writer
 * goes through here so that every entry is written the same way: signed by the service that
 * wrote it, and committed in the caller's transaction through the outbox, so an entry exists if
 * and only if the act it records does.
 */
export interface DisclosureLog {
  readonly topic: string;
  readonly writer: string;
  /** The id of the key entries are signed with; undefined when they go unsigned. */
  readonly keyId: string | undefined;
  record(tx: Sql, event: CloudEvent): Promise<void>;
}

export function disclosureLog(options: DisclosureLogOptions): DisclosureLog {
  const key = options.signingKey;
  return {
    topic: options.topic,
    writer: options.writer,
    keyId: key?.keyId,
    record: (tx, event) => enqueue(tx, options.topic, key ? signEvent(event, key) : event),
  };
}
