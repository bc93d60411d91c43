// STAND-IN: what the stub school system's routes share. Not a real school system.
import type { Logger } from '@polku/service-kit';
import type { ActRequest } from './callback-body';
import type { Ledger } from './ledger';
import type { CallbackResult } from './send-callback';

export interface StubContext {
  secret: Buffer;
  ledger: Ledger;
  logger: Logger;
  /** Called once per newly taken delivery (drives the auto mode). */
  onDelivered(referralId: string): void;
  /** Sends a signed callback about a taken referral; undefined when there is none. */
  act(referralId: string, act: ActRequest): Promise<CallbackResult | undefined>;
}
