import type { CloudEvent } from '@polku/contracts';
import { errorCode, withDeadline, type KafkaSecurity, type Logger } from '@polku/service-kit';
import { countDeadLettered } from '@polku/telemetry';
import type { ConsumeOptions, ConsumerHandle } from './consume-options';
import { startConsumer } from './consumer';
import { eventDeadLetterRecord, type ManualDeadLetterReason } from './dead-letter';
import { consumerLag, watchGroupLag, type PartitionLag } from './lag';
import { createPublisher } from './publisher';
import { createSender } from './sender';
import { ensureTopics, type TopicDefinition } from './topics';
import { createKafkajsTransport } from './transport/kafkajs';
import { namespacedTransport } from './transport/namespaced';
import type { Transport, TransportAdmin } from './transport/types';
import { defaultValidator, type EventValidator } from './validation';

export interface BusOptions {
  /** `host:port` of one or more brokers. */
  brokers: string[];
  /** Names this process to the brokers (shows in broker logs and quotas). */
  clientId: string;
  logger: Logger;
  /** @defaultValue `validateEvent` of `@polku/contracts` */
  validate?: EventValidator;
  /** @defaultValue the kafkajs transport */
  transport?: Transport;
  /** TLS and SASL to the brokers, for the kafkajs transport (`kafkaSecurity(config)`). @defaultValue plain text, no SASL */
  security?: KafkaSecurity | undefined;
  /**
   * Puts every topic and consumer group of this bus under `<namespace>.` on the broker, invisibly
   * to its users (see `namespacedTransport`). @defaultValue none: the real topics
   */
  namespace?: string;
}

export interface Bus {
  /** See `Publisher.publish`: validated, keyed by subject, acknowledged by all in-sync replicas. */
  publish(topic: string, event: CloudEvent): Promise<void>;
  publishMany(topic: string, events: readonly CloudEvent[]): Promise<void>;
  /**
   * Writes `event` to the dead-letter topic of `topic` by hand, for work given up on outside a
   * consumer (a delivery job that failed for good). Headers are those a consumer would write.
   */
  deadLetter(topic: string, event: CloudEvent, reason: ManualDeadLetterReason): Promise<void>;
  /** Starts a consumer; resolves once it has joined its group. */
  consume(options: ConsumeOptions): Promise<ConsumerHandle>;
  /** Creates missing topics (and their `.dlq`); returns the names created. */
  ensureTopics(definitions: readonly TopicDefinition[]): Promise<string[]>;
  /** Consumer lag per partition for a group. */
  lag(groupId: string, topics?: string[]): Promise<PartitionLag[]>;
  /**
   * Shows the lag of a group this process consumes outside `consume` (a raw transport consumer) on
   * `/metrics`, as `consume` does for its own, until the bus closes. @returns a function that stops showing it
   */
  watchLag(groupId: string, topics: string[]): () => void;
  /** The broker's admin side (topics, offsets, groups), connected on first use and closed with the bus. */
  admin(): Promise<TransportAdmin>;
  /** Resolves when the brokers answer a metadata request within `timeoutMs`; rejects otherwise (readiness). */
  ping(timeoutMs?: number): Promise<void>;
  /** Stops every consumer this bus started (each finishes its handler), then closes connections. */
  close(): Promise<void>;
}

export function createBus(options: BusOptions): Bus {
  const logger = options.logger.child({ component: 'bus' });
  const client = options.transport ?? createKafkajsTransport({ brokers: options.brokers, clientId: options.clientId, logger, security: options.security });
  const transport = options.namespace ? namespacedTransport(client, options.namespace) : client;
  const validate = options.validate ?? defaultValidator;
  const sender = createSender(transport.producer());
  const publisher = createPublisher({ sender, validate, logger });
  const consumers = new Set<ConsumerHandle>();
  const admin = lazyAdmin(transport);
  const watched = new Set<() => void>();

  return {
    publish: publisher.publish,
    publishMany: publisher.publishMany,
    async deadLetter(topic, event, reason) {
      const deadLetter = eventDeadLetterRecord(topic, event, reason);
      await sender.send(deadLetter.topic, [deadLetter.record]);
      countDeadLettered({ topic, group: reason.by, code: errorCode(reason.error) });
    },
    async consume(consumeOptions) {
      const handle = await startConsumer(consumeOptions, { transport, sender, validate, logger });
      const unwatch = watchGroupLag(admin.get, consumeOptions.groupId, consumeOptions.topics);
      const tracked: ConsumerHandle = { stop: () => handle.stop().finally(() => { unwatch(); consumers.delete(tracked); }) };
      consumers.add(tracked);
      return tracked;
    },
    ensureTopics: async (definitions) => ensureTopics(await admin.get(), definitions),
    lag: async (groupId, topics) => consumerLag(await admin.get(), groupId, topics),
    watchLag(groupId, topics) {
      const unwatch = watchGroupLag(admin.get, groupId, topics);
      watched.add(unwatch);
      return () => { unwatch(); watched.delete(unwatch); };
    },
    admin: () => admin.get(),
    ping: async (timeoutMs = 1000) => void (await withDeadline(admin.get().then((a) => a.listTopics()), timeoutMs, 'Kafka')),
    async close() {
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      for (const unwatch of watched) unwatch();
      await sender.close();
      await admin.close();
    },
  };
}

function lazyAdmin(transport: Transport) {
  let admin: Promise<TransportAdmin> | undefined;
  return {
    get: () =>
      (admin ??= (async () => {
        const created = transport.admin();
        try {
          await created.connect();
        } catch (error) {
          // A broker that was away must not leave a failed connection cached for good.
          admin = undefined;
          throw error;
        }
        return created;
      })()),
    async close() {
      if (admin) await (await admin.catch(() => undefined))?.disconnect();
      admin = undefined;
    },
  };
}
