import { forgetExpiredAnswers, type Database } from '@polku/db';
import type { Vault } from '@polku/personal-data';
import { errorCode, type Logger } from '@polku/service-kit';

/**
 * Every `intervalMs`: erases the vault details whose retention has run out (set when their referral
 * closed) and forgets idempotency answers past their 24 hours. Idempotent, so every instance may run it.
 */
export function startVaultJanitor(options: { db: Database; vault: Vault; intervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  const { vault, logger } = options;
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const erased = await vault.eraseDue(new Date());
      const forgotten = await forgetExpiredAnswers(options.db);
      if (erased > 0 || forgotten > 0) logger.info({ erased, forgotten }, 'vault details erased after retention; old idempotency answers forgotten');
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
