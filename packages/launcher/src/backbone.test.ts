import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '@polku/infra';
import { launchBackbone } from './backbone';
import { freshSecrets } from './secrets';

let foreign: Server | undefined;
afterEach(() => void foreign?.close());

it('refuses to start when a port is held by a process it did not start, naming the port, what it is for and its setting', async () => {
  const port = await freePort();
  foreign = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => foreign!.listen(port, '127.0.0.1', resolve));
  const logDir = mkdtempSync(join(tmpdir(), 'polku-backbone-'));
  // Nothing listens at these addresses: the port is checked before anything is migrated or started.
  const launch = launchBackbone({
    kafkaBrokers: '127.0.0.1:1', redisUrl: 'redis://127.0.0.1:1', databaseUrl: 'postgres://nobody@127.0.0.1:1/none', secrets: freshSecrets(), logDir, ports: { school: port },
  });
  await expect(launch).rejects.toMatchObject({ code: 'PORT_IN_USE' });
  await expect(launch).rejects.toThrow(`port ${port}, for the stand-in school system, is in use by pid ${process.pid}`);
  await expect(launch).rejects.toThrow('or set POLKU_SCHOOL_PORT to a free port');
  expect(existsSync(join(logDir, 'processes.json'))).toBe(false);
});
