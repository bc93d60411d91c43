import type { Database } from '@polku/db';
import type { OperatorAudit } from '@polku/operator-audit';
import type { Replayer } from '../replay-record';

export interface DeadLetterRouteDeps {
  db: Database;
  audit: OperatorAudit;
  replayer: Replayer;
  /** Records per second of a bulk replay that does not name its rate (`POLKU_BULK_REPLAY_RATE`). @defaultValue 10 */
  defaultRatePerSecond?: number;
  /** The highest rate an operator may ask for. @defaultValue 200 */
  maxRatePerSecond?: number;
}

export type Reason = { reason: 'cause-fixed' | 'dependency-recovered' | 'poison-record' | 'key-compromised' | 'key-unused' | 'mistake' | 'drill' | 'other'; ticket?: string };

export const auditReason = (body: Reason) => ({ code: body.reason, ...(body.ticket ? { ticket: body.ticket } : {}) });
