// A router as its own process on a test topic, for the crash test: started by crash.integration.test.ts and killed with SIGKILL.
import { openHarness, startTestRouter } from './helpers';

const [topic, groupId, queuePrefix] = process.argv.slice(2);
if (!topic || !groupId || !queuePrefix) throw new Error('usage: router-process.ts <topic> <groupId> <queuePrefix>');
const h = await openHarness();
await startTestRouter(h, { topic, groupId, queuePrefix, partitionConcurrency: 6 });
process.stdout.write('ready\n');
