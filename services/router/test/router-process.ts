// A router as its own process on a test topic, for the crash test: started by crash.integration.test.ts and killed with SIGKILL.
// It uses the test's database (its memory, its outbox) and runs an outbox relay on it, as a router process does.
import { openHarness, startTestRouter } from './helpers';

const [topic, groupId, queuePrefix, databaseUrl] = process.argv.slice(2);
if (!topic || !groupId || !queuePrefix || !databaseUrl) throw new Error('usage: router-process.ts <topic> <groupId> <queuePrefix> <databaseUrl>');
const h = await openHarness({ databaseUrl });
await startTestRouter(h, { topic, groupId, queuePrefix, partitionConcurrency: 6 });
process.stdout.write('ready\n');
