import type { AgeBand, LegalBasis, NeedCode, Statute, SubmitterRole, Urgency } from '@polku/contracts';
import type { ServiceKind } from '@polku/catalogue';
import type { SlaKind } from './sla';

/** Conditions of a rule; every one given must hold, each holds when the referral has ANY listed value. */
export interface RuleCondition {
  legalBasis?: LegalBasis[];
  needCodes?: NeedCode[];
  urgency?: Urgency[];
  ageBand?: AgeBand[];
  submitterRole?: SubmitterRole[];
}

export interface RuleOutcome {
  lead: ServiceKind;
  coWorkers: ServiceKind[];
  /** The lead receives under the referral's statute, with no consent; it must accept that statute. @defaultValue false */
  statutory?: boolean;
}

export interface RoutingRule {
  id: string;
  description: string;
  when: RuleCondition;
  then: RuleOutcome;
}

export interface SlaPolicy {
  /** Wall-clock end of a working day in Helsinki, "HH:MM". @defaultValue "16:00" in the Keski-Suomi rules */
  closeOfDay: string;
  /** Working days after the submission date, by urgency. */
  byUrgency: Record<Urgency, number>;
  /** Statutory clocks that run alongside the urgency one; the earlier deadline wins. */
  byStatute: Partial<Record<Statute, { workingDays: number; sla: SlaKind }>>;
}

export interface RoutingRules {
  region: string;
  description?: string;
  sla: SlaPolicy;
  /** In order: the first rule whose `when` matches decides. */
  rules: RoutingRule[];
}
