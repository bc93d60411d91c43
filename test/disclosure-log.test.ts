import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { TOPICS, type CloudEvent } from '@polku/contracts';
import { entryOf, parsePublicKeyring, verifyEventSignature, verifyLog, type CheckpointData, type LogRecord } from '@polku/disclosure-log';
import { issueApiKeys } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { startBackbone, type RunningBackbone } from './backbone';
import { call } from './client';
import { runCommand } from './command';
import { consentBody, identityCodeOf, learningSupportReferral } from './fixtures';
import { eventually, testInfra } from './support';

const NGO = 'keski-suomen-nuorisotuki';
const ROOT = resolve(import.meta.dirname, '..');

describe('the disclosure log is tamper-evident, end to end', () => {
  let run: RunningBackbone;
  let ngoKey: string;
  const api = () => run.backbone.urls.referralApi;

  /** `npm run disclosures:<command>` against this backbone's topics, with the launcher's public keys. */
  function disclosures(command: 'verify' | 'export', ...args: string[]) {
    return runCommand(process.execPath, ['--import', 'tsx', 'services/disclosure-sealer/src/cli/disclosures.ts', command, ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: testInfra().kafkaBrokers.join(','), POLKU_NAMESPACE: run.namespace, POLKU_DISCLOSURE_PUBLIC_KEYS: run.secrets.disclosurePublicKeys },
    });
  }

  /**
   * The log and its checkpoints as they are on the broker now. Checkpoints are read first: a
   * disclosure written and sealed between the two reads is then an unsealed tail of the log,
   * never a sealed entry the log seems to lack.
   */
  async function readLog() {
    const checkpoints = (await run.readTopics([TOPICS.disclosureCheckpoint])).map((r) => JSON.parse(r.raw) as CloudEvent<CheckpointData>);
    const log = await run.readTopics([TOPICS.disclosure]);
    return { log, checkpoints };
  }

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 600_000 });
    ({ ngoKey } = await issueApiKeys(run.databaseUrl, { ngoKey: { organisationId: NGO, systemId: 'case-notes-seal-e2e', roles: ['recipient'], services: ['nuorisotuki-mentoring'] } }));
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('signs every real disclosure with the writer\'s key and seals it in a signed checkpoint', async () => {
    // A referral an NGO leads: its details are refused before consent and released after, each a logged disclosure.
    const fixture = learningSupportReferral({ needCodes: ['loneliness-leisure'] });
    const submitted = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    await eventually(async () => ((await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator })).body.state === 'awaiting-consent' ? true : undefined), 'awaiting consent', 30_000);
    expect((await call('GET', `${api()}/v1/referrals/${id}/details`, { key: ngoKey })).status).toBe(403);
    const granted = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: NGO }], dataCategories: ['contact', 'need-description'] }) });
    expect(granted.status).toBe(201);
    await eventually(async () => ((await call('GET', `${api()}/v1/referrals/${id}/details`, { key: ngoKey })).status === 200 ? true : undefined), 'details released', 30_000);

    const keyring = parsePublicKeyring(run.secrets.disclosurePublicKeys);
    const { log, checkpoints } = await eventually(async () => {
      const read = await readLog();
      const sealed = new Set(read.checkpoints.flatMap((c) => c.data.entries.map((e) => `${c.data.partition}/${e.offset}`)));
      const all = read.log.length >= 2 && read.log.every((r) => sealed.has(`${r.partition}/${r.offset}`));
      return all ? read : undefined;
    }, 'every disclosure sealed by a checkpoint', 30_000);
    // Every entry is signed by the service that wrote it: the referral API's releases and refusals, the adapter host's deliveries.
    for (const record of log) expect(verifyEventSignature(record.event, keyring)).toEqual({ ok: true, keyId: `${record.event!.source.replace('/polku/', '')}-1` });
    expect(new Set(log.map((r) => r.event!.source))).toContain('/polku/referral-api');
    expect(checkpoints.every((c) => verifyEventSignature(c, keyring).ok && c.signingkeyid === 'disclosure-sealer-1')).toBe(true);
    expect(checkpoints.flatMap((c) => c.data.forged)).toEqual([]);

    const verified = await disclosures('verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('every entry is signed by its writer and matches what was sealed');
  });

  it('names a forged record produced straight onto the disclosure topic at its partition and offset', async () => {
    const { log } = await readLog();
    const genuine = log[0]!.event!;
    // Someone who reaches the broker writes a "disclosure" of their own, without any service's key.
    const forged = { ...genuine, id: '00000000-0000-4000-8000-00000000f00d', data: { ...(genuine.data as object), recipient: { organisationId: 'somebody-else', systemId: 'intruder' } } } as Record<string, unknown>;
    delete forged.signature;
    delete forged.signingkeyid;
    const kafka = createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-intruder', logger: createLogger({ service: 'e2e-intruder', level: 'silent' }) });
    const transport = namespacedTransport(kafka, run.namespace);
    const admin = transport.admin();
    await admin.connect();
    const before = new Map((await admin.fetchTopicOffsets(TOPICS.disclosure)).map((p) => [p.partition, Number(p.high)]));
    const producer = transport.producer();
    await producer.connect();
    await producer.send(TOPICS.disclosure, [{ key: genuine.subject, value: JSON.stringify(forged), headers: {} }]);
    await producer.disconnect();
    const after = await admin.fetchTopicOffsets(TOPICS.disclosure);
    await admin.disconnect();
    const landed = after.find((p) => Number(p.high) > before.get(p.partition)!)!;
    const at = { partition: landed.partition, offset: before.get(landed.partition)! };

    // The sealer chains it like any other record, and says in its checkpoint that it is forged.
    const checkpoint = await eventually(async () => (await readLog()).checkpoints.find((c) => c.data.partition === at.partition && c.data.forged.some((f) => f.offset === at.offset)), 'the forged record sealed as forged', 30_000);
    expect(checkpoint.data.forged).toEqual([{ offset: at.offset, problem: 'unsigned' }]);

    const verified = await disclosures('verify');
    expect(verified.status, verified.stderr).toBe(1);
    expect(verified.stdout).toContain(`First: partition ${at.partition} offset ${at.offset}: forged (no service signature)`);

    // The auditor's export says the same offline, with the public keys alone.
    const file = join(mkdtempSync(join(tmpdir(), 'polku-disclosures-')), 'export.json');
    const exported = await disclosures('export', '--out', file);
    expect(exported.status, exported.stderr).toBe(0);
    const offline = await runCommand(process.execPath, ['--import', 'tsx', 'services/disclosure-sealer/src/cli/disclosures.ts', 'verify', '--file', file], { cwd: ROOT, env: { PATH: process.env.PATH } });
    expect(offline.status, offline.stderr).toBe(1);
    expect(offline.stdout).toContain(`First: partition ${at.partition} offset ${at.offset}: forged`);

    // Everything else in the log still verifies: the forged record is the one finding.
    const { log: now, checkpoints } = await readLog();
    const records: LogRecord[] = now.map((r) => ({ partition: r.partition, offset: r.offset, entry: entryOf(Buffer.from(r.raw)) }));
    const report = verifyLog({ records, checkpoints, keyring: parsePublicKeyring(run.secrets.disclosurePublicKeys), logTopic: TOPICS.disclosure });
    expect(report.findings).toEqual([{ kind: 'forged', ...at, detail: 'no service signature' }]);
  });
});
