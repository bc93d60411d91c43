/**
 * Polku's own view of a Kafka client. Services and the rest of this package speak only
 * these types; `kafkajs.ts` is the one adapter. Another client (e.g. confluent-kafka-javascript)
 * replaces it by implementing `Transport`, without touching a service.
 */

/** Header values are strings: binary headers are not used on Polku topics. */
export type HeaderMap = Record<string, string>;

export interface OutgoingRecord {
  /** Partition key. Records with the same key keep their order. */
  key: string | null;
  value: string | Buffer;
  headers: HeaderMap;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  /** Offset as a decimal string: Kafka offsets are 64-bit. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: HeaderMap;
  /** Broker or producer timestamp, milliseconds since epoch as a string. */
  timestamp: string;
}

export interface RecordContext {
  /** Tells the group coordinator this member is alive; call it during long waits. */
  heartbeat(): Promise<void>;
  /**
   * Commits this record for the group (the committed offset becomes the record's offset + 1).
   * Works while the consumer is stopping, so a handler that finishes during a stop is committed.
   */
  commit(): Promise<void>;
}

export type RecordHandler = (record: IncomingRecord, context: RecordContext) => Promise<void>;

export interface TransportProducer {
  connect(): Promise<void>;
  /** Resolves when every record is acknowledged by all in-sync replicas. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerSettings {
  groupId: string;
  /** @defaultValue 30000 */
  sessionTimeoutMs?: number;
  /** @defaultValue 3000 */
  heartbeatIntervalMs?: number;
  /**
   * How long the broker may hold a fetch when there is nothing new. Stopping waits for the
   * fetch in flight, so this also bounds how long an idle consumer takes to stop.
   * @defaultValue 500 (the Java client's fetch.max.wait.ms)
   */
  maxWaitTimeMs?: number;
  /**
   * Partitions handled at the same time. Order within a partition is always kept.
   * @defaultValue 1
   */
  partitionConcurrency?: number;
}

export interface TransportConsumer {
  connect(): Promise<void>;
  subscribe(topics: string[], fromBeginning: boolean): Promise<void>;
  /**
   * Starts delivering records one at a time per partition, in order. Offsets are never
   * committed automatically: call `context.commit()` after handling.
   */
  run(handler: RecordHandler): Promise<void>;
  /** Stops fetching, waits for the record being handled, leaves the group, closes connections. */
  disconnect(): Promise<void>;
}

export interface NewTopic {
  name: string;
  partitions: number;
  /** Kafka topic configs, e.g. `cleanup.policy`, `retention.ms`. */
  configs: Record<string, string>;
}

export interface PartitionOffset {
  partition: number;
  offset: string;
}

export interface TopicEndOffsets {
  partition: number;
  /** Offset the next record will get (high watermark). */
  high: string;
  /** Earliest offset still in the log. */
  low: string;
}

export interface TransportAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Creates the topics; ones that already exist are left as they are. */
  createTopics(topics: NewTopic[]): Promise<void>;
  /** Deletes topics and every record on them (benchmarks and tests clean up their own). */
  deleteTopics(names: string[]): Promise<void>;
  /** Every consumer group the broker knows. */
  listGroups(): Promise<string[]>;
  /** Deletes groups that have no members left, with their committed offsets. */
  deleteGroups(groupIds: string[]): Promise<void>;
  /** A group's committed offsets; offset `-1` where nothing is committed. All its topics when `topics` is omitted. */
  fetchOffsets(groupId: string, topics?: string[]): Promise<{ topic: string; partitions: PartitionOffset[] }[]>;
  fetchTopicOffsets(topic: string): Promise<TopicEndOffsets[]>;
}

export interface Transport {
  producer(): TransportProducer;
  consumer(settings: ConsumerSettings): TransportConsumer;
  admin(): TransportAdmin;
}
