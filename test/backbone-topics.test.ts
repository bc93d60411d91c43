import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEvent, TOPICS, type CloudEvent } from '@polku/contracts';
import { createKafkajsTransport, DEAD_LETTER_HEADERS, deadLetterTopicFor, type Bus, type IncomingRecord } from '@polku/bus';
import { createLogger } from '@polku/service-kit';
import { backboneBus, eventually, testInfra, uniqueGroup } from './support';

const example = JSON.parse(readFileSync(new URL('../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent;

function submitted(): CloudEvent {
  const referralId = randomUUID();
  return createEvent('fi.polku.referral.submitted.v1', { source: '/polku/e2e', subject: referralId, data: { ...example.data, referralId } });
}

describe('the provisioned backbone topics', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await backboneBus('topics');
  });
  afterAll(() => bus.close());

  it('carry a referral event to a consumer group, and dead-letter one a faulty producer broke', async () => {
    const groupId = uniqueGroup('referrals');
    const good = submitted();
    const broken = { ...submitted(), data: { ...good.data, municipalityCode: 'Jyväskylä' } };
    const seen = new Map<string, CloudEvent>();
    await bus.consume({ groupId, topics: [TOPICS.referral], handler: async (event) => void seen.set(event.id, event) });

    // A foreign producer that skips validation, as a faulty sector system might.
    const transport = createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-faulty', logger: createLogger({ service: 'e2e', level: 'silent' }) });
    const faulty = transport.producer();
    await faulty.connect();
    await faulty.send(TOPICS.referral, [{ key: broken.subject, value: JSON.stringify(broken), headers: {} }]);
    await faulty.disconnect();
    await bus.publish(TOPICS.referral, good);

    expect(await eventually(() => seen.get(good.id), 'the referral event')).toEqual(good);
    expect(seen.has(broken.id)).toBe(false);

    const reader = transport.consumer({ groupId: uniqueGroup('dlq-reader') });
    const deadLetters: IncomingRecord[] = [];
    await reader.connect();
    await reader.subscribe([deadLetterTopicFor(TOPICS.referral)], true);
    await reader.run(async (record) => void deadLetters.push(record));
    try {
      const letter = await eventually(() => deadLetters.find((r) => r.key?.toString() === broken.subject), 'the dead letter');
      expect(letter.headers).toMatchObject({ [DEAD_LETTER_HEADERS.originalTopic]: TOPICS.referral, [DEAD_LETTER_HEADERS.errorCode]: 'EVENT_INVALID', [DEAD_LETTER_HEADERS.consumerGroup]: groupId });
      expect(letter.headers[DEAD_LETTER_HEADERS.errorMessage]).toContain('/data/municipalityCode');
    } finally {
      await reader.disconnect();
    }
  });
});
