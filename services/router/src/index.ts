export { SERVICE_KINDS, type AgeRange, type Catalogue, type LocalisedName, type Municipality, type Organisation, type Service, type ServiceKind } from './domain/catalogue';
export type { RoutingRule, RoutingRules, RuleCondition, RuleOutcome, SlaPolicy } from './domain/rules';
export { loadCatalogue, parseCatalogue, KESKI_SUOMI_CATALOGUE } from './domain/load-catalogue';
export { loadRules, parseRules, KESKI_SUOMI_RULES } from './domain/load-rules';
export { RoutingSetupInvalid } from './domain/setup-errors';
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
