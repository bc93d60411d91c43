import { Kafka, logLevel, Partitioners, type Consumer, type KafkaConfig, type SASLOptions, type IHeaders, type KafkaMessage, type LogEntry } from 'kafkajs';
import type { KafkaSecurity, Logger } from '@polku/service-kit';
import { retryRetriable } from './retriable';
import type {
  ConsumerSettings, HeaderMap, OutgoingRecord, RecordHandler, Transport, TransportAdmin, TransportConsumer, TransportProducer,
} from './types';

export interface KafkajsTransportOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs' own log lines go here, at warn and above. */
  logger: Logger;
  /** TLS and SASL to the brokers (`kafkaSecurity(config)` of service-kit). @defaultValue plain text, no SASL */
  security?: KafkaSecurity | undefined;
}

/** The only place that knows kafkajs. */
export function createKafkajsTransport(options: KafkajsTransportOptions): Transport {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...kafkajsSecurity(options.security),
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => forwardLog(options.logger, entry),
  });
  return {
    producer: () => wrapProducer(kafka),
    consumer: (settings) => wrapConsumer(kafka, settings),
    admin: () => wrapAdmin(kafka),
  };
}

/** TLS (the CA replaces the system's roots when given) and SASL as kafkajs takes them. */
function kafkajsSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const { ssl, sasl } = security;
  return {
    ...(ssl ? { ssl: Object.keys(ssl).length === 0 ? true : { ...(ssl.ca ? { ca: [ssl.ca] } : {}), ...(ssl.cert ? { cert: ssl.cert, key: ssl.key } : {}) } } : {}),
    ...(sasl ? { sasl: saslOf(sasl) } : {}),
  };
}

function saslOf(sasl: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

function forwardLog(logger: Logger, entry: LogEntry): void {
  const { message, ...fields } = entry.log;
  const line = { component: 'kafkajs', namespace: entry.namespace, ...fields };
  if (entry.level <= logLevel.ERROR) logger.error(line, message);
  else logger.warn(line, message);
}

function wrapProducer(kafka: Kafka): TransportProducer {
  // Idempotence needs acks from all in-sync replicas and one request in flight, so a retried
  // batch cannot overtake or duplicate an earlier one.
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async send(topic: string, records: OutgoingRecord[]) {
      await producer.send({ topic, acks: -1, messages: records });
    },
  };
}

function wrapConsumer(kafka: Kafka, settings: ConsumerSettings): TransportConsumer {
  const consumer: Consumer = kafka.consumer({
    groupId: settings.groupId,
    maxWaitTimeInMs: settings.maxWaitTimeMs ?? 500,
    ...(settings.sessionTimeoutMs === undefined ? {} : { sessionTimeout: settings.sessionTimeoutMs }),
    ...(settings.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: settings.heartbeatIntervalMs }),
  });
  return {
    connect: () => consumer.connect(),
    subscribe: (topics, fromBeginning) => consumer.subscribe({ topics, fromBeginning }),
    // kafkajs' disconnect stops the runner first, which waits for the batch being handled.
    disconnect: () => consumer.disconnect(),
    // eachBatch, not eachMessage: kafkajs' consumer.commitOffsets() silently does nothing once
    // stop() has begun, while the batch's own commit still reaches the broker. Without it the
    // handler that finishes during a stop would never be committed.
    run: (handler: RecordHandler) =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionConcurrency ?? 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
          const { topic, partition } = batch;
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            const next = (BigInt(message.offset) + 1n).toString();
            const commit = () => commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
            await handler(toIncoming(topic, partition, message), { heartbeat, commit });
            resolveOffset(message.offset);
            await heartbeat();
          }
        },
      }),
  };
}

function toIncoming(topic: string, partition: number, message: KafkaMessage) {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: toHeaderMap(message.headers),
    timestamp: message.timestamp,
  };
}

function toHeaderMap(headers: IHeaders | undefined): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) map[name] = last.toString();
  }
  return map;
}

function wrapAdmin(kafka: Kafka): TransportAdmin {
  const admin = kafka.admin();
  // Reads are retried while the broker says "not now" (e.g. its coordinator still loading after a restart).
  const read = retryRetriable;
  return {
    connect: () => read(() => admin.connect()),
    disconnect: () => admin.disconnect(),
    listTopics: () => read(() => admin.listTopics()),
    async createTopics(topics) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      // kafkajs's own wait for leaders gives up at the first UNKNOWN_TOPIC_OR_PARTITION, which a
      // broker still answers for a moment after it created the topic (a test's setup failed so); here
      // that answer, like a partition without a leader yet, means "not yet".
      await read(async () => {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
        if (found.some((t) => t.partitions.some((p) => p.leader < 0))) throw Object.assign(new Error('topic partitions have no leader yet'), { retriable: true });
      }, 30_000);
    },
    async deleteTopics(names) {
      if (names.length > 0) await admin.deleteTopics({ topics: names });
    },
    listGroups: async () => (await read(() => admin.listGroups())).groups.map((group) => group.groupId),
    async deleteGroups(groupIds) {
      if (groupIds.length > 0) await admin.deleteGroups(groupIds);
    },
    async fetchOffsets(groupId, topics) {
      const result = await read(() => admin.fetchOffsets(topics ? { groupId, topics } : { groupId }));
      return result.map((t) => ({ topic: t.topic, partitions: t.partitions.map(({ partition, offset }) => ({ partition, offset })) }));
    },
    async fetchTopicOffsets(topic) {
      const result = await read(() => admin.fetchTopicOffsets(topic));
      return result.map(({ partition, high, low }) => ({ partition, high, low }));
    },
  };
}
