import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@polku/infra';
import { startRoundRobinProxy } from './round-robin-proxy';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

/** An instance that answers with its own name. */
async function instance(name: string): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.end(name));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

describe("the round-robin proxy in front of a service's instances", () => {
  it('spreads new connections over the instances, and skips one that is down', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    const proxy = await startRoundRobinProxy(await freePort(), () => [a.port, b.port]);
    try {
      const ask = async () => (await fetch(`http://127.0.0.1:${proxy.port}/`, { headers: { connection: 'close' } })).text();
      const answers = await Promise.all(Array.from({ length: 6 }, ask));
      expect(new Set(answers)).toEqual(new Set(['a', 'b']));
      await new Promise<void>((resolve) => a.server.close(() => resolve()));
      a.server.closeAllConnections();
      expect(await Promise.all(Array.from({ length: 4 }, ask))).toEqual(['b', 'b', 'b', 'b']);
    } finally {
      await proxy.close();
    }
  });
});
