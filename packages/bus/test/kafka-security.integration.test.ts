import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates, loadInfraConfig, startSecureKafkaBroker, type SecureBroker, type TestCertificates } from '@polku/infra';
import type { CloudEvent } from '@polku/contracts';
import { kafkaSecurity, kafkaSecuritySettings, loadConfig } from '@polku/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, createKafkajsTransport, type Bus } from '../src/index';
import { logger, referralSubmitted, unique, waitFor } from './helpers';

/**
 * A broker of its own whose only client listener is SASL_SSL, as a production cluster's: the bus
 * reaches it with nothing but the settings a service reads (KAFKA_SSL, KAFKA_SSL_CA_FILE,
 * KAFKA_SASL_*), publishes and consumes, and a wrong password is refused.
 */
describe('the bus over TLS and SASL (SCRAM-SHA-512, PLAIN)', () => {
  let dir: string;
  let certificates: TestCertificates;
  let broker: SecureBroker;
  const user = { username: 'polku-referral-api', password: randomBytes(18).toString('base64url') };
  const buses: Bus[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polku-secure-kafka-'));
    certificates = createTestCertificates(join(dir, 'certs'));
    broker = await startSecureKafkaBroker(loadInfraConfig(), { dir: join(dir, 'broker'), certificates, users: [user] });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close().catch(() => {})));
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A bus configured as a service's config.ts would configure it. */
  const busWith = (env: Record<string, string>) => {
    const config = loadConfig(kafkaSecuritySettings, { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: certificates.caCert, ...env });
    const security = kafkaSecurity(config);
    const bus = createBus({ brokers: [broker.brokers], clientId: 'bus-security-test', logger, ...(security ? { security } : {}) });
    buses.push(bus);
    return bus;
  };

  it.each(['scram-sha-512', 'plain'])('publishes and consumes with %s over TLS', async (mechanism) => {
    const bus = busWith({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: user.username, KAFKA_SASL_PASSWORD: user.password });
    const topic = unique(`secure-${mechanism}`);
    await bus.ensureTopics([{ name: topic, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
    const received: CloudEvent[] = [];
    await bus.consume({ groupId: unique('secure-group'), topics: [topic], fromBeginning: true, handler: async (event) => void received.push(event) });
    const event = referralSubmitted();
    await bus.publish(topic, event);
    await waitFor(() => received.length === 1, 30_000, 'the event over SASL_SSL');
    expect(received[0]).toEqual(event);
  });

  it('is refused with a wrong password', async () => {
    const bus = busWith({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: user.username, KAFKA_SASL_PASSWORD: 'not-the-password' });
    await expect(bus.ping(10_000)).rejects.toThrow();
    const admin = bus.admin();
    await expect(admin).rejects.toThrow(/SASL|authenticat/i);
  });

  it('is refused without TLS on a listener that speaks only TLS', async () => {
    // A producer straight from the transport: the bus's admin would keep retrying the connection for a minute.
    const producer = createKafkajsTransport({ brokers: [broker.brokers], clientId: 'bus-security-test', logger, security: { sasl: { mechanism: 'scram-sha-512', ...user } } }).producer();
    await expect(producer.connect()).rejects.toThrow();
    await producer.disconnect().catch(() => {});
  });
});
