import { connect, createServer, type Server, type Socket } from 'node:net';

/** A load balancer in front of a service's instances, as any deployment of several has. */
export interface RoundRobinProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `port` and hands each TCP connection to the next of `upstreams` (loopback ports),
 * trying the others when one refuses: an instance that was killed is skipped, and an HTTP client
 * whose keep-alive connection died with it reconnects to a live one.
 */
export async function startRoundRobinProxy(port: number, upstreams: () => readonly number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const ports = upstreams();
    const first = next++;
    const attempt = (tried: number) => {
      if (tried >= ports.length) return client.destroy();
      const upstream = connect({ port: ports[(first + tried) % ports.length]!, host: '127.0.0.1' });
      open.add(upstream);
      upstream.on('close', () => open.delete(upstream));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      // Refused (an instance that is down): the next one. Broken once connected: the client reconnects.
      upstream.on('error', () => (connected ? client.destroy() : attempt(tried + 1)));
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
