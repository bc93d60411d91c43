/** The thresholds of the console's alerts (config.ts reads them; docs/console.md lists them). */
export interface AlertSettings {
  /** Records a group may lag behind before its alert starts counting. */
  lagRecords: number;
  /** Minutes the lag must stay above it before the alert fires. */
  lagMinutes: number;
  /** A dead-letter topic counts as growing until this many minutes pass without a new record. */
  deadLetterQuietMinutes: number;
  /** SLA breaches of this many last minutes fire the alert. */
  slaWindowMinutes: number;
  /** Failed deliveries per hundred (failed and succeeded) that fire the alert… */
  deliveryFailurePercent: number;
  /** …once the window holds at least this many outcomes. */
  deliveryMinOutcomes: number;
  deliveryWindowMinutes: number;
  /** Minutes a service may answer not ready (or not at all) before the alert fires. */
  notReadyMinutes: number;
  /** Unsent outbox rows, or the oldest's age in seconds, that fire the alert. */
  outboxRows: number;
  outboxAgeSeconds: number;
}
