export type { RoutingRule, RoutingRules, RuleCondition, RuleOutcome, SlaPolicy } from './domain/rules';
export { loadRules, parseRules, KESKI_SUOMI_RULES } from './domain/load-rules';
export {
  decideRouting,
  coordinatorFor,
  NO_RULE_MATCHED,
  type CoordinatorQuery,
  type CoordinatorReason,
  type RoutedParty,
  type RoutingDecision,
} from './domain/decide-routing';
export { toRoutedData } from './domain/routed-data';
export { slaDeadline, followUpAt, type SlaDeadline, type SlaInput, type SlaKind } from './domain/sla';
export { finnishHolidays, easterSunday, isFinnishHoliday, type FinnishHoliday } from './domain/finnish-holidays';
export { isWorkingDay, addWorkingDays, workingDayOnOrAfter } from './domain/working-days';
export { helsinkiDate, helsinkiInstant, formatHelsinki, HELSINKI } from './domain/helsinki-time';
export type { IsoDate } from './domain/calendar-date';
// The running service, for tests and tools that start it in-process (server.ts is the process).
export { startRouter, type RouterDeps, type RunningRouter } from './start-router';
export { reconcileTimers, type ReconciledTimers } from './timers/reconcile-timers';
export { sqlReferralMemory, MEMORY_TABLES, type ReferralMemory } from './referral-memory';
export type { ReferralRecord } from './referral-record';
export type { ActedGroup } from './acted-offsets';
export { buildApp, type AppDeps } from './app';
export type { TimingSettings } from './router-context';
export { SLA_QUEUE, type SlaJob } from './timers/sla-queue';
export { FOLLOW_UP_QUEUE, type FollowUpJob } from './timers/follow-up-queue';
export type { TimerState, TimerView } from './timers/timer-queue';
