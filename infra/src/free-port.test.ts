import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from './free-port';

describe('free loopback ports', () => {
  // Two services of one backbone once got the same port: each was free when checked, neither bound yet.
  it('never gives a port it was told is taken, so ports chosen one after another are distinct', async () => {
    const ports = await freePorts(200);
    expect(new Set(ports).size).toBe(200);
    const taken = new Set(ports);
    expect(taken.has(await freePort(taken))).toBe(false);
  });
});
