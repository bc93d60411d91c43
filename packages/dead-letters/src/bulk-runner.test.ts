import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '@polku/db';
import type { OperatorAudit } from '@polku/operator-audit';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { startBulkRunner, type BulkRunner, type Replayer } from './index';

describe('the bulk runner with its database away', () => {
  let runner: BulkRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
  });

  it('logs each failed round and goes on, never an unhandled rejection that ends the console', async () => {
    const lines: { msg: string; code?: string }[] = [];
    const destination = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } });
    const logger = createLogger({ service: 'bulk-runner-test', level: 'warn', destination });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // Nothing listens on port 1: every query of a round fails as DATABASE_UNAVAILABLE.
    const db = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', applicationName: 'bulk-runner-test', logger, timeoutMs: 200 });
    try {
      // Neither is reached: the round fails at its first query.
      const replayer = {} as Replayer;
      const audit = {} as OperatorAudit;
      runner = startBulkRunner({ db, replayer, audit, logger, tickMs: 10 });
      await eventually(() => lines.filter((l) => l.msg.startsWith('bulk replay round failed')).length >= 2 || undefined, 'two failed rounds logged');
      expect(lines.find((l) => l.msg.startsWith('bulk replay round failed'))?.code).toBe('DATABASE_UNAVAILABLE');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await runner?.stop();
      runner = undefined;
      await db.close();
    }
  });
});
