import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for the local end of outgoing connections. A port from it can be taken by
 * any process's next outgoing connection between our check and the service binding it (seen here:
 * a service failing to start with EADDRINUSE), so ports to listen on are chosen below it.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nothing listens on right now, outside the ephemeral range (so no outgoing
 * connection takes it meanwhile). Ports chosen earlier but not bound yet are not "in use" to the
 * kernel: pass them as `taken` (and choose one port at a time), or two services may get the same one.
 */
export async function freePort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const low = 20_000;
  const high = Math.max(low + 1000, ephemeralLow) - 1;
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (!taken.has(port) && (await bindable(port))) return port;
  }
  throw new Error(`no free loopback port found between ${low} and ${high}`);
}

/** `count` distinct free ports (see `freePort`). */
export async function freePorts(count: number): Promise<number[]> {
  const taken = new Set<number>();
  for (let i = 0; i < count; i++) taken.add(await freePort(taken));
  return [...taken];
}
