import http from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@polku/infra';
import { FIXTURES, isRunning, Started } from '../test/launcher-process';
import { startServiceProcess } from './service-process';

const logDir = mkdtempSync(join(tmpdir(), 'polku-launcher-'));
const started = new Started();
afterEach(() => started.killAll());

/** A GET over a keep-alive connection, which the agent then keeps open. */
function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', reject);
  });
}

describe('stopping a service', () => {
  it('kills a service that ignores SIGTERM once the grace period is over, and says which', async () => {
    const lines: string[] = [];
    const service = await startServiceProcess({ name: 'stubborn', entry: FIXTURES.stubborn, port: await freePort(), env: {} }, logDir, { say: (line) => lines.push(line) });
    started.add(service.pid);
    const began = Date.now();
    await service.stop(500);
    expect(Date.now() - began).toBeGreaterThanOrEqual(500);
    expect(Date.now() - began).toBeLessThan(3000);
    expect(isRunning(service.pid)).toBe(false);
    expect(lines).toEqual(['stubborn ignored SIGTERM for 0.5 s: killed']);
  });

  it('lets a request in flight on a keep-alive connection finish, then exits at once', async () => {
    const lines: string[] = [];
    const service = await startServiceProcess({ name: 'polite', entry: FIXTURES.polite, port: await freePort(), env: {} }, logDir, { say: (line) => lines.push(line) });
    started.add(service.pid);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const slow = get(agent, `${service.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const began = Date.now();
    // Before, the connection stayed open after the answer and the close waited the whole grace period.
    await service.stop(10_000);
    expect(await slow).toBe(200);
    expect(Date.now() - began).toBeLessThan(3000);
    expect(lines).toEqual([]);
    agent.destroy();
  });

  it('stops the stand-in school system within a second or two while a client holds a keep-alive connection', async () => {
    const secret = Buffer.alloc(32, 7).toString('base64');
    const lines: string[] = [];
    const port = await freePort();
    const stub = await startServiceProcess(
      { name: 'stub-school', entry: 'adapters/education-school/stub/server.ts', port, readyPath: '/_stub/deliveries', env: { STUB_PORT: String(port), STUB_SECRET: secret, LOG_LEVEL: 'warn' } },
      logDir,
      { say: (line) => lines.push(line) },
    );
    started.add(stub.pid);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(agent, `${stub.url}/_stub/deliveries`)).toBe(200);
    // And one whose request is still arriving, as from a sender that stalled mid-body.
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => {});
    stalled.write('POST /referrals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"referral');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = Date.now();
    await stub.stop(10_000);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(lines).toEqual([]);
    agent.destroy();
    stalled.destroy();
  });
});

describe('starting a service', () => {
  let foreign: Server | undefined;
  afterEach(() => void foreign?.close());

  it('refuses a port held by a process it did not start, naming the port, and starts nothing', async () => {
    const port = await freePort();
    foreign = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => foreign!.listen(port, '127.0.0.1', resolve));
    const start = startServiceProcess({ name: 'stubborn', entry: FIXTURES.stubborn, port, env: {}, what: 'a test service', portSetting: 'TEST_PORT' }, logDir);
    await expect(start).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    await expect(start).rejects.toThrow(`port ${port}, for a test service, is in use by pid ${process.pid}`);
    await expect(start).rejects.toThrow('or set TEST_PORT to a free port');
  });
});
