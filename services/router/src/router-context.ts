import type { Catalogue } from '@polku/catalogue';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { Database } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import type { RoutingRules } from './domain/rules';
import type { RouterTimers } from './handlers/router-timers';

/** How the router sets its clocks. */
export interface TimingSettings {
  /** Months from closing to the follow-up check. @defaultValue 3 */
  followUpMonths: number;
  /** Tests and demos: every SLA deadline is now + this many ms. @defaultValue undefined (the working-day rule) */
  slaOverrideMs?: number | undefined;
  /** Tests and demos: every follow-up is due now + this many ms. @defaultValue undefined (followUpMonths) */
  followUpOverrideMs?: number | undefined;
}

/**
 * What the event handlers and the timer workers share. A handling is given the transaction it
 * runs in and writes everything through it: the memory, its events (the outbox), its timers' state.
 */
export interface RouterContext {
  /** The memory, the outbox and the timers' state; timer workers open their own transactions on it. */
  db: Database;
  /** The referral topic, where the router's events go (a fresh one in tests). */
  topic: string;
  /** The name of the router's projection: its acted offsets and whether it is replaying. */
  projection: string;
  timers: RouterTimers;
  catalogue: Catalogue;
  rules: RoutingRules;
  timing: TimingSettings;
  /** The consent service's decisions: every recipient is asked before routing discloses to it. */
  consent: ConsentDecider;
  logger: Logger;
  /** @defaultValue the system clock */
  now: () => Date;
}
