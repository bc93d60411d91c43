import { forgetExpiredAnswers, type Database } from '@polku/db';
import type { Vault } from '@polku/personal-data';
import { errorCode, type Logger } from '@polku/service-kit';
import { sweepPastRetention, type RetentionPeriods } from './retention-sweep';

/**
 * Every `intervalMs`: erases the vault details whose retention has run out (set when their referral
 * closed), forgets idempotency answers past their 24 hours and, given `retention`, deletes the
 * disclosure log's rows past theirs (infra/retention.json). Idempotent, so every instance may run it.
 */
export function startVaultJanitor(options: { db: Database; vault: Vault; intervalMs: number; logger: Logger; retention?: RetentionPeriods }): { stop(): Promise<void> } {
  const { vault, logger } = options;
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const erased = await vault.eraseDue(new Date());
      const forgotten = await forgetExpiredAnswers(options.db);
      if (erased > 0 || forgotten > 0) logger.info({ erased, forgotten }, 'vault details erased after retention; old idempotency answers forgotten');
      if (options.retention) {
        const swept = await sweepPastRetention(options.db, options.retention, new Date());
        if (swept.disclosureEntries > 0 || swept.loggedDeliveries > 0) logger.info(swept, 'disclosure-log rows past retention deleted');
      }
    } catch (error) {
      logger.warn({ code: errorCode(error), err: error }, 'the vault sweep failed; it runs again at the next interval');
    }
  };
  const timer = setInterval(() => void (running = sweep()), options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
