// `npm start`: the backbone on this machine with a short demo. Brings up Kafka, Redis and
// the topics, starts every service and the stand-in school system as processes, issues
// API keys for the demo organisations, submits a few referrals of different kinds and
// prints where to look. Ctrl-C stops everything it started.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { down, up } from '@polku/infra';
import { issueApiKeys, launchBackbone, persistentSecrets, type Backbone } from '@polku/launcher';
import { provisionTopics } from './provision-topics';
import { DEMO_ORGANISATIONS, runDemoReferrals } from './demo-referrals';

const root = join(import.meta.dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

const infra = await up();
await provisionTopics(infra.kafkaBrokers);
let backbone: Backbone | undefined;

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nstopping…');
  await backbone?.stop();
  await down(infra.started);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  backbone = await launchBackbone({
    kafkaBrokers: infra.kafkaBrokers,
    redisUrl: infra.redisUrl,
    databaseUrl: infra.databaseUrl,
    secrets: persistentSecrets(join(root, '.polku', 'demo', 'secrets.json')),
    logDir: join(root, '.polku', 'demo', 'logs'),
    ports: { referralApi: 8080, router: 8081, adapterHost: 8082, consent: 8083, school: 8090, ngo: 8091 },
    // The stand-in school accepts what it receives after a moment, and closes it later.
    env: { school: { STUB_AUTO_ACCEPT_MS: '1500', STUB_AUTO_CLOSE_MS: '4000' } },
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  await stop(1);
}

const keys = await issueApiKeys(infra.databaseUrl, DEMO_ORGANISATIONS);
const keysFile = join(root, '.polku', 'demo-keys.json');
writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });

const urls = backbone!.urls;
say();
say('Polku is running:');
say(`  referral API      ${urls.referralApi}   (OpenAPI: ${urls.referralApi}/docs)`);
say(`  router            ${urls.router}`);
say(`  adapter host      ${urls.adapterHost}`);
say(`  consent           ${urls.consent}   (OpenAPI: ${urls.consent}/docs)`);
say(`  school system     ${urls.school}   (a stand-in for a school's student-welfare system)`);
say(`  NGO system        ${urls.ngo}   (a stand-in for an NGO's webhook receiver)`);
say(`  KAFKA_BROKERS=${infra.kafkaBrokers}  REDIS_URL=${infra.redisUrl}`);
say(`  DATABASE_URL=${infra.databaseUrl}`);
say(`  API keys of the demo organisations: ${relative(process.cwd(), keysFile)} (git-ignored)`);
say(`  service logs: ${relative(process.cwd(), join(root, '.polku', 'demo', 'logs'))}/`);
say();
await runDemoReferrals(urls, keys, say);
say();
say('Press Ctrl-C to stop everything started here.');
setInterval(() => {}, 1 << 30);
