import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBus } from '@polku/bus';
import { httpConsentDecider } from '@polku/consent-policy/client';
import { createDatabase } from '@polku/db';
import { createTestCertificates, freePort, freshTestDatabase, loadTopicDeclarations, type TestCertificates } from '@polku/infra';
import { newSigningKey, sqlApiKeyStore, useOutboundTls } from '@polku/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionBody, eventually, logger } from './helpers';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

interface Answer {
  status: number;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** One HTTPS call with node:https, so each call chooses its own client certificate (or none). */
function call(url: string, options: { ca: Buffer; cert?: Buffer; key?: Buffer; method?: string; apiKey?: string; body?: unknown }): Promise<Answer> {
  return new Promise((done, fail) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(url, {
      method: options.method ?? 'GET',
      ca: options.ca,
      ...(options.cert ? { cert: options.cert, key: options.key } : {}),
      headers: { ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) },
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}

/**
 * The consent service as a real process, started the one way every service serves TLS
 * (POLKU_TLS_CERT_FILE / _KEY_FILE) and requires client certificates (POLKU_TLS_CLIENT_CA_FILE),
 * as the national data-exchange layer asks of system-to-system calls.
 */
describe('the consent service over HTTPS with client certificates (mTLS)', () => {
  let dir: string;
  let certs: TestCertificates;
  let pem: (file: string) => Buffer;
  let child: ChildProcess;
  let url: string;
  let apiKey: string;
  let dropDatabase: () => Promise<void>;
  let logFile: string;
  const namespace = `mtls-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polku-mtls-'));
    certs = createTestCertificates(join(dir, 'certs'));
    pem = (file: string) => readFileSync(file);
    const database = await freshTestDatabase(process.env['DATABASE_URL']!, 'mtls');
    dropDatabase = database.drop;
    const db = createDatabase({ url: database.url, applicationName: 'mtls-test', logger });
    apiKey = (await sqlApiKeyStore(db).issue({ organisationId: 'polku-backbone', systemId: 'adapter-host', roles: ['backbone'] })).key;
    await db.close();
    const bus = createBus({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'mtls-test', logger, namespace });
    await bus.ensureTopics(loadTopicDeclarations());
    await bus.close();
    const port = await freePort();
    url = `https://127.0.0.1:${port}`;
    logFile = join(dir, 'consent.log');
    const log = openSync(logFile, 'a');
    child = spawn(process.execPath, ['--import', 'tsx', 'services/consent/src/server.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', log, log],
      env: {
        ...process.env, PORT: String(port), DATABASE_URL: database.url, POLKU_NAMESPACE: namespace, POLKU_QUEUE_PREFIX: namespace,
        POLKU_PSEUDONYM_KEY: randomBytes(32).toString('base64'), POLKU_DISCLOSURE_SIGNING_KEY: newSigningKey('consent-test').signingKey, LOG_LEVEL: 'info',
        POLKU_TLS_CERT_FILE: certs.serverCert, POLKU_TLS_KEY_FILE: certs.serverKey, POLKU_TLS_CLIENT_CA_FILE: certs.caCert,
      },
    });
    closeSync(log);
    // Health stays reachable without a client certificate: that is how the launcher and probes see it.
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the consent service exited: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
      return (await call(`${url}/health/ready`, { ca: pem(certs.caCert) }).catch(() => undefined))?.status === 200 || undefined;
    }, 'the consent service ready over HTTPS', 60_000);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    const cleanup = createBus({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'mtls-test', logger, namespace });
    const admin = await cleanup.admin();
    await admin.deleteGroups(await admin.listGroups()).catch(() => {});
    await admin.deleteTopics(await admin.listTopics()).catch(() => {});
    await cleanup.close();
    await dropDatabase?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const decision = () => decisionBody(`sr_${randomBytes(32).toString('base64url').slice(0, 43)}`);

  it('refuses a system-to-system call without a client certificate: 401 CLIENT_CERTIFICATE_REQUIRED', async () => {
    const answer = await call(`${url}/v1/decisions`, { ca: pem(certs.caCert), method: 'POST', apiKey, body: decision() });
    expect(answer.status).toBe(401);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ code: 'CLIENT_CERTIFICATE_REQUIRED', type: 'urn:polku:problem:client-certificate-required' });
  });

  it('refuses a certificate from a CA it does not trust: 401 CLIENT_CERTIFICATE_INVALID', async () => {
    const answer = await call(`${url}/v1/decisions`, { ca: pem(certs.caCert), cert: pem(certs.strangerCert), key: pem(certs.strangerKey), method: 'POST', apiKey, body: decision() });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'CLIENT_CERTIFICATE_INVALID' });
  });

  it('still needs the API key beside a valid certificate', async () => {
    const answer = await call(`${url}/v1/decisions`, { ca: pem(certs.caCert), cert: pem(certs.clientCert), key: pem(certs.clientKey), method: 'POST', body: decision() });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('answers a call with a valid client certificate and key', async () => {
    const answer = await call(`${url}/v1/decisions`, { ca: pem(certs.caCert), cert: pem(certs.clientCert), key: pem(certs.clientKey), method: 'POST', apiKey, body: decision() });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ allowed: false, reason: 'no-consent' });
  });

  it("answers the backbone's own consent client once the process is given the outbound CA and client certificate", async () => {
    const decider = httpConsentDecider({ baseUrl: url, apiKey });
    const question = decision() as unknown as Parameters<typeof decider.decide>[0];
    await expect(decider.decide(question)).rejects.toThrow();
    useOutboundTls({ ca: pem(certs.caCert), cert: pem(certs.clientCert), key: pem(certs.clientKey) });
    expect(await decider.decide(question)).toMatchObject({ allowed: false, reason: 'no-consent' });
  });

  it('serves no plain HTTP', async () => {
    await expect(fetch(`${url.replace('https:', 'http:')}/health/live`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
  });
});
