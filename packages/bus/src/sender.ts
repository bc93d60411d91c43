import type { OutgoingRecord, TransportProducer } from './transport/types';

/** One producer per bus, connected on first use and shared by publishing and dead-lettering. */
export interface Sender {
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function createSender(producer: TransportProducer): Sender {
  let connected: Promise<void> | undefined;
  return {
    async send(topic, records) {
      connected ??= producer.connect().catch((error: unknown) => {
        // A broker that was away at the first send must not leave a failed connection cached for good.
        connected = undefined;
        throw error;
      });
      await connected;
      await producer.send(topic, records);
    },
    async close() {
      if (connected) await producer.disconnect();
      connected = undefined;
    },
  };
}
