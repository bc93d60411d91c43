export { registerDeadLetterRoutes } from './routes/register-dead-letter-routes';
export type { DeadLetterRouteDeps } from './routes/deps';
export { startDeadLetterRegister, registerDeadLetter, type RegisterOptions, type RunningRegister } from './register';
export { startBulkRunner, type BulkRunner, type BulkRunnerOptions } from './bulk-runner';
export { dryRun, startBulkReplay, cancelBulkReplay, bulkProgress, listBulkReplays, type BulkFilter, type BulkProgress, type DryRun } from './bulk-replay';
export { replayOne, parkOne, type ActionDeps } from './actions';
export { listDeadLetters, deadLetterDetail, deadLetterCursor, type DeadLetterFilter, type DeadLetterView, type DeadLetterDetail, type DeadLetterState } from './store';
export { readDeadLetter, deadLetterId, type DeadLetterRow } from './dead-letter-record';
export type { Replayer } from './replay-record';
export * from './errors';
/** Replays after which a dead letter is parked and its replay refused. */
export const MAX_REPLAYS = 3;
