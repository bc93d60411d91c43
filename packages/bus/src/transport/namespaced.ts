import type { IncomingRecord, RecordHandler, Transport } from './types';

/**
 * A deployment's own slice of a shared broker: every topic and consumer group name gets
 * `<namespace>.` in front on the way to Kafka and loses it on the way back, so nothing above
 * the transport (services, the bus, dead letters, lag) knows a namespace exists. `bench:flow`
 * runs a whole backbone this way beside the real one, on topics it deletes afterwards.
 */
export function namespacedTransport(inner: Transport, namespace: string): Transport {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(namespace)) throw new Error(`namespace must be lower-case letters, digits and dashes, got "${namespace}"`);
  const prefix = `${namespace}.`;
  const outward = (name: string) => prefix + name;
  const inward = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const inwardRecord = (record: IncomingRecord): IncomingRecord => ({ ...record, topic: inward(record.topic) });

  return {
    producer() {
      const producer = inner.producer();
      return { ...producer, send: (topic, records) => producer.send(outward(topic), records) };
    },
    consumer(settings) {
      const consumer = inner.consumer({ ...settings, groupId: outward(settings.groupId) });
      return {
        ...consumer,
        subscribe: (topics, fromBeginning) => consumer.subscribe(topics.map(outward), fromBeginning),
        run: (handler: RecordHandler) => consumer.run((record, context) => handler(inwardRecord(record), context)),
      };
    },
    admin() {
      const admin = inner.admin();
      return {
        ...admin,
        // Only this namespace's topics exist, as far as its users can tell.
        listTopics: async () => (await admin.listTopics()).filter((name) => name.startsWith(prefix)).map(inward),
        createTopics: (topics) => admin.createTopics(topics.map((topic) => ({ ...topic, name: outward(topic.name) }))),
        deleteTopics: (names) => admin.deleteTopics(names.map(outward)),
        async fetchOffsets(groupId, topics) {
          const rows = await admin.fetchOffsets(outward(groupId), topics?.map(outward));
          return rows.map((row) => ({ ...row, topic: inward(row.topic) }));
        },
        fetchTopicOffsets: (topic) => admin.fetchTopicOffsets(outward(topic)),
        listGroups: async () => (await admin.listGroups()).filter((group) => group.startsWith(prefix)).map(inward),
        deleteGroups: (groupIds) => admin.deleteGroups(groupIds.map(outward)),
      };
    },
  };
}
