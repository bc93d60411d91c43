// STAND-IN: the stub school system acting by itself, so the demo runs without a person. Not a real school system.
import type { StubContext } from './stub-context';

export interface AutoModeOptions {
  /** Accept each newly taken referral after this many ms; 0 = never. @defaultValue 0 */
  autoAcceptMs?: number;
  /** Close an auto-accepted referral this many ms after accepting; 0 = never. @defaultValue 0 */
  autoCloseMs?: number;
}

export function autoMode(stub: StubContext, options: AutoModeOptions) {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run().catch((error: unknown) => stub.logger.warn({ err: error }, 'STAND-IN school system could not call Polku back'));
    }, ms);
    timers.add(timer);
  };
  return {
    delivered(referralId: string) {
      const { autoAcceptMs = 0, autoCloseMs = 0 } = options;
      if (autoAcceptMs <= 0) return;
      later(autoAcceptMs, async () => {
        const accepted = await stub.act(referralId, { action: 'accept' });
        if (accepted && accepted.status < 300 && autoCloseMs > 0) later(autoCloseMs, async () => void (await stub.act(referralId, { action: 'close' })));
      });
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
