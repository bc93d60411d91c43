// `npm run docs:screenshots`: the README's pictures of the console, taken with the browser the
// tests use (Debian's Chromium, test/browser.ts). Starts its own backbone on free ports with the
// demo's referrals and one delivery the stand-in school refuses, signs in through the STAND-IN
// identity provider as the operator, and writes docs/images/console-overview.png and
// console-trace.png. Not part of `npm test`: pictures are looked at, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBus } from '@polku/bus';
import { down, freshTestDatabase, loadTopicDeclarations, up } from '@polku/infra';
import { freshSecrets, issueApiKeys, launchBackbone, type Backbone } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { DEMO_PASSWORD, ONE_TIME_CODE } from '@polku/stand-in-idp';
import { openBrowser } from '../test/browser';
import { DEMO_ORGANISATIONS, runDemoReferrals } from './demo-referrals';

const root = join(import.meta.dirname, '..');
const say = (line = '') => void process.stdout.write(`${line}\n`);
const infra = await up();
const logDir = mkdtempSync(join(tmpdir(), 'polku-screenshots-'));
// Its own topics, groups, queues and database, on free ports: a running `npm start` is not disturbed.
const namespace = `screenshots-${Date.now()}`;
const database = await freshTestDatabase(infra.databaseUrl, 'screenshots');
const bus = createBus({ brokers: infra.kafkaBrokers.split(','), clientId: 'screenshots', logger: createLogger({ service: 'screenshots', level: 'silent' }), namespace });
let backbone: Backbone | undefined;
try {
  await bus.ensureTopics(loadTopicDeclarations());
  backbone = await launchBackbone({
    kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl, databaseUrl: database.url, secrets: freshSecrets(), logDir, namespace,
    env: { school: { STUB_AUTO_ACCEPT_MS: '1500', STUB_AUTO_CLOSE_MS: '4000' }, console: { POLKU_CONSOLE_OVERVIEW_INTERVAL_MS: '1000' } },
  });
  const urls = backbone.urls;
  const keys = { ...(await issueApiKeys(database.url, DEMO_ORGANISATIONS)), residentEService: backbone.residentEService.key };
  // The school refuses the first delivery, so the overview has a failing delivery and a dead letter to show.
  await fetch(`${urls.school}/_stub/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: [422] }) });
  const [first] = await runDemoReferrals(urls, keys, (person) => backbone!.residentEService.eService.assert(person), () => {});
  await runDemoReferrals(urls, keys, (person) => backbone!.residentEService.eService.assert(person), () => {});

  const browser = await openBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'fi-FI', viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${urls.console}/ui/`);
    await page.getByRole('link', { name: 'Kirjaudu sisään' }).click();
    await page.getByLabel(/Username/).fill('paivystaja');
    await page.getByLabel(/Password/).fill(DEMO_PASSWORD);
    await page.getByLabel(/One-time code/).fill(ONE_TIME_CODE);
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Yleiskuva' }).waitFor();
    // Long enough for the console to index the events and the alerts to be evaluated once.
    await sleep(5000);
    await page.reload();
    await page.screenshot({ path: join(root, 'docs', 'images', 'console-overview.png'), fullPage: true });
    await page.goto(`${urls.console}/ui/referrals/${first}`);
    await page.getByRole('heading', { level: 2, name: /Aikajana/ }).waitFor();
    await page.screenshot({ path: join(root, 'docs', 'images', 'console-trace.png'), fullPage: true });
    say('wrote docs/images/console-overview.png and docs/images/console-trace.png');
  } finally {
    await browser.close();
  }
} finally {
  await backbone?.stop();
  const admin = await bus.admin();
  await admin.deleteGroups(await admin.listGroups()).catch(() => {});
  await admin.deleteTopics(await admin.listTopics()).catch(() => {});
  await bus.close();
  await database.drop();
  await down(infra.started);
  rmSync(logDir, { recursive: true, force: true });
}
