import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, createKafkajsTransport, defaultValidator, namespacedTransport, type Bus, type Transport } from '@polku/bus';
import { TOPICS, type CloudEvent } from '@polku/contracts';
import { createLogger, type Caller } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { createOperatorAudit, AuditUnavailable } from '../src/index';

const logger = createLogger({ service: 'operator-audit-test', level: 'silent' });
const brokers = () => process.env['KAFKA_BROKERS']!.split(',');
const caller: Caller = { keyId: 'k0ps7a1b2c3d', organisationId: 'polku-operations', systemId: 'on-call', roles: ['operator'], services: [] };

describe('the operator audit on the real broker', () => {
  let bus: Bus;
  let transport: Transport;

  beforeAll(async () => {
    transport = namespacedTransport(createKafkajsTransport({ brokers: brokers(), clientId: 'operator-audit-test', logger }), `audit${randomUUID().slice(0, 8)}`);
    bus = createBus({ brokers: brokers(), clientId: 'operator-audit-test', logger, transport });
    await bus.ensureTopics([{ name: TOPICS.operatorAction, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'action id' }]);
  });

  afterAll(async () => {
    const admin = await bus.admin();
    await admin.deleteTopics([TOPICS.operatorAction]).catch(() => {});
    await bus.close();
  });

  async function auditTopic(count: number): Promise<CloudEvent[]> {
    const consumer = transport.consumer({ groupId: `reader-${randomUUID()}` });
    const events: CloudEvent[] = [];
    await consumer.connect();
    await consumer.subscribe([TOPICS.operatorAction], true);
    await consumer.run(async (record) => void events.push(JSON.parse(record.value!.toString()) as CloudEvent));
    try {
      await eventually(() => events.length >= count || undefined, `${count} audit records`);
    } finally {
      await consumer.disconnect();
    }
    return events;
  }

  it('writes who asked (from the key), what and why before the action, then its outcome under the same action id, each a valid event', async () => {
    const audit = createOperatorAudit({ bus, logger, service: 'console' });
    const actionId = await audit.requested({ action: 'dead-letter.replay', actor: caller, reason: { code: 'cause-fixed', ticket: 'INC-7' }, target: { deadLetterId: 'polku.referral.events.v1.dlq/0/12' } });
    await audit.completed(actionId, 'dead-letter.replay', { outcome: 'succeeded' });

    const [requested, completed] = await auditTopic(2);
    expect(requested).toMatchObject({ type: 'fi.polku.operator-action.requested.v1', subject: actionId, data: { actionId, action: 'dead-letter.replay', actor: { keyId: 'k0ps7a1b2c3d', organisationId: 'polku-operations', systemId: 'on-call' }, reason: { code: 'cause-fixed', ticket: 'INC-7' } } });
    expect(completed).toMatchObject({ type: 'fi.polku.operator-action.completed.v1', subject: actionId, causationid: actionId, data: { actionId, outcome: 'succeeded' } });
    for (const event of [requested, completed]) expect(defaultValidator(event!)).toMatchObject({ ok: true });
  });

  it('refuses the action (AUDIT_UNAVAILABLE, 503 with Retry-After) when the audit topic cannot take the record', async () => {
    const unreachable = createBus({ brokers: ['127.0.0.1:1'], clientId: 'operator-audit-test-down', logger });
    try {
      const audit = createOperatorAudit({ bus: unreachable, logger, service: 'console', timeoutMs: 500 });
      const refused = audit.requested({ action: 'dead-letter.park', actor: caller, reason: { code: 'poison-record' } });
      await expect(refused).rejects.toBeInstanceOf(AuditUnavailable);
      await expect(refused).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', status: 503, retryable: true });
    } finally {
      await unreachable.close().catch(() => {});
    }
  });
});
