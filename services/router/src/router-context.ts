import type { Catalogue } from '@polku/catalogue';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { Logger } from '@polku/service-kit';
import type { RoutingRules } from './domain/rules';
import type { Outbox } from './publish-routing';
import type { ReferralMemory } from './referral-memory';

/** How the router sets its clocks. */
export interface TimingSettings {
  /** Months from closing to the follow-up check. @defaultValue 3 */
  followUpMonths: number;
  /** Tests and demos: every SLA deadline is now + this many ms. @defaultValue undefined (the working-day rule) */
  slaOverrideMs?: number | undefined;
  /** Tests and demos: every follow-up is due now + this many ms. @defaultValue undefined (followUpMonths) */
  followUpOverrideMs?: number | undefined;
}

/** What the event handlers and the timer workers share. */
export interface RouterContext {
  outbox: Outbox;
  memory: ReferralMemory;
  catalogue: Catalogue;
  rules: RoutingRules;
  timing: TimingSettings;
  /** The consent service's decisions: every recipient is asked before routing discloses to it. */
  consent: ConsentDecider;
  logger: Logger;
  /** @defaultValue the system clock */
  now: () => Date;
}
