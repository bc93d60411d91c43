// `npm start`: the backbone on this machine with a short demo. Brings up Kafka, Redis and
// the topics, starts every service and the stand-in school system as processes, issues
// API keys for the demo organisations, submits a few referrals of different kinds and
// prints where to look. Ctrl-C stops everything it started (a second Ctrl-C kills it at once);
// what a launcher that died left running, the next `npm start` stops (.polku/demo/processes.json).
import { DEMO_PASSWORD, ONE_TIME_CODE } from '@polku/stand-in-idp';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { standInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { join, relative } from 'node:path';
import { down, up } from '@polku/infra';
import { issueApiKeys, launchBackbone, loadDemoPorts, parseInstances, persistentSecrets, sayOnStderr, stopOnSignals, type Backbone } from '@polku/launcher';
import { syntheticIdentityCode } from '@polku/personal-data';
import { provisionTopics } from './provision-topics';
import { DEMO_ORGANISATIONS, runDemoReferrals } from './demo-referrals';

const root = join(import.meta.dirname, '..');
const demoDir = join(root, '.polku', 'demo');
// A closed terminal must not turn a line of output into a crash halfway through stopping.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
const say = (line = '') => void process.stdout.write(`${line}\n`);

let ports: ReturnType<typeof loadDemoPorts>;
let instances: ReturnType<typeof parseInstances>;
try {
  // POLKU_REFERRAL_API_PORT, POLKU_ROUTER_PORT, …, POLKU_INSTANCES: checked before anything starts.
  ports = loadDemoPorts(process.env);
  instances = parseInstances(process.env.POLKU_INSTANCES);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}

const infra = await up();
await provisionTopics(infra.kafkaBrokers);
let backbone: Backbone | undefined;

let stopping: Promise<void> | undefined;
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    say('\nstopping…');
    const began = Date.now();
    await backbone?.stop();
    await down(infra.started);
    say(`stopped everything started here in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    process.exit(code);
  })();
  return stopping;
}
async function killNow(): Promise<void> {
  await backbone?.kill();
  if (Object.values(infra.started).some(Boolean)) sayOnStderr('Kafka, Redis or PostgreSQL started by this run are still running: `npm run infra:down` stops them');
  process.exit(1);
}
stopOnSignals(() => stop(0), killNow);

// The stand-in resident e-service's signing key, kept between starts so `npm run resident` can sign.
const eServiceFile = join(demoDir, 'resident-e-service.json');
const residentEService = await standInResidentEService(undefined, undefined, existsSync(eServiceFile) ? JSON.parse(readFileSync(eServiceFile, 'utf8')) : undefined);
mkdirSync(demoDir, { recursive: true });
writeFileSync(eServiceFile, `${JSON.stringify(residentEService.signingKey)}\n`, { mode: 0o600 });

try {
  backbone = await launchBackbone({
    kafkaBrokers: infra.kafkaBrokers,
    redisUrl: infra.redisUrl,
    databaseUrl: infra.databaseUrl,
    secrets: persistentSecrets(join(demoDir, 'secrets.json')),
    logDir: join(demoDir, 'logs'),
    recordFile: join(demoDir, 'processes.json'),
    ports,
    instances,
    residentEService,
    // The stand-in school accepts what it receives after a moment, and closes it later.
    env: { school: { STUB_AUTO_ACCEPT_MS: '1500', STUB_AUTO_CLOSE_MS: '4000' } },
  });
} catch (error) {
  process.stderr.write(`\n${(error as Error).message}\n`);
  await stop(1);
}

const keys = { ...(await issueApiKeys(infra.databaseUrl, DEMO_ORGANISATIONS)), residentEService: backbone!.residentEService.key };
const keysFile = join(root, '.polku', 'demo-keys.json');
writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });

const urls = backbone!.urls;
say();
say('Polku is running:');
const several = (name: keyof typeof urls) => (backbone!.instances[name].length > 1 ? `   ${backbone!.instances[name].length} instances behind this port` : '');
say(`  referral API      ${urls.referralApi}   (OpenAPI: ${urls.referralApi}/docs)${several('referralApi')}`);
say(`  router            ${urls.router}${several('router')}`);
say(`  adapter host      ${urls.adapterHost}${several('adapterHost')}`);
say(`  consent           ${urls.consent}   (OpenAPI: ${urls.consent}/docs)${several('consent')}`);
say(`  console           ${urls.console}   (OpenAPI: ${urls.console}/docs; traces, lag, queues, alerts, dead letters for operators: docs/console.md)${several('console')}`);
say(`  disclosure sealer ${urls.disclosureSealer}   (chains and checkpoints the disclosure log: npm run disclosures:verify)${several('disclosureSealer')}`);
say(`  school system     ${urls.school}   (a stand-in for a school's student-welfare system)`);
say(`  NGO system        ${urls.ngo}   (a stand-in for an NGO's webhook receiver)`);
say(`  KAFKA_BROKERS=${infra.kafkaBrokers}  REDIS_URL=${infra.redisUrl}`);
say(`  DATABASE_URL=${infra.databaseUrl}`);
say(`  API keys of the demo organisations: ${relative(process.cwd(), keysFile)} (git-ignored)`);
say(`  the console as an operator: curl -H "x-api-key: $(node -p "require('./${relative(process.cwd(), keysFile)}').operator")" ${urls.console}/v1/alerts`);
say(`  service logs: ${relative(process.cwd(), join(demoDir, 'logs'))}/`);
say();
await runDemoReferrals(urls, keys, (person) => residentEService.assert(person), say);
say();
const idp = backbone!.consoleIdentityProvider;
const person = (username: string) => idp.people.find((p) => p.username === username)!;
say(`The operators' console in a browser: ${urls.console}/ui/  (Finnish or English)`);
say(`  sign in at the STAND-IN identity provider as ${person('paivystaja').username} (operator) or ${person('tarkastaja').username} (auditor),`);
say(`  password ${DEMO_PASSWORD}, one-time code ${ONE_TIME_CODE}; ${person('ilman-mfa').username} shows what happens without the second factor`);
say();
say('Act as a resident (the stand-in resident e-service signs who signed in there):');
const [parent, kid] = [syntheticIdentityCode({ year: 1985, month: 3, day: 1 }, 904), syntheticIdentityCode({ year: 2016, month: 5, day: 14 }, 901)];
say(`  npm run resident -- ${parent} [--guardian-of ${kid}]   prints a signed assertion, valid 2 minutes`);
say(`  then POST ${urls.referralApi}/v1/referrals with x-api-key: the residentEService key of .polku/demo-keys.json`);
say('  and x-polku-person-assertion: that assertion; submitter.role resident (yourself) or guardian (your child). docs/keys.md says why.');
say();
say('Press Ctrl-C to stop everything started here.');
setInterval(() => {}, 1 << 30);
