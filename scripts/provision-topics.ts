// Creates the topics declared in infra/topics.json (and their dead-letter topics) that
// are missing; used by `npm start`, `npm test` and `npm run infra:up`.
import { createBus } from '@polku/bus';
import { loadTopicDeclarations } from '@polku/infra';
import { createLogger } from '@polku/service-kit';

/** @returns every topic name declared, dead-letter topics included */
export async function provisionTopics(brokers: string): Promise<string[]> {
  const logger = createLogger({ service: 'provision-topics', level: 'warn' });
  const bus = createBus({ brokers: brokers.split(','), clientId: 'polku-provision', logger });
  try {
    const declared = loadTopicDeclarations();
    const created = await bus.ensureTopics(declared);
    if (created.length > 0) process.stderr.write(`[infra] created topics: ${created.join(', ')}\n`);
    return declared.flatMap((t) => (t.deadLetter ? [t.name, `${t.name}.dlq`] : [t.name]));
  } finally {
    await bus.close();
  }
}
