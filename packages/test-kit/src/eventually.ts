import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it gives a value (anything but `undefined` or `false`) and returns it;
 * throws, naming `what`, when `timeoutMs` passes first. Events cross a real broker in these
 * tests, so "eventually" is the honest assertion; the bound only keeps a broken run short.
 * @param timeoutMs @defaultValue 30000
 */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
