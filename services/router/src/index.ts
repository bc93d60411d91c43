export type { RoutingRule, RoutingRules, RuleCondition, RuleOutcome, SlaPolicy } from './domain/rules';
export { loadRules, parseRules, KESKI_SUOMI_RULES } from './domain/load-rules';
export {
  decideRouting,
  NO_RULE_MATCHED,
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
