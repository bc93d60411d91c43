/**
 * The console's dead-letter routes and workers live in `@polku/dead-letters` (with their
 * integration tests); this is where the console takes them from. Wiring, in server.ts order
 * (docs/dead-letters.md):
 *
 *   const transport = namespaced raw transport (as the disclosure sealer builds it), shared with the bus
 *   const audit = createOperatorAudit({ bus, logger, service: 'console' })        // @polku/operator-audit
 *   const producer = transport.producer(); await producer.connect();
 *   const replayer = { producer, admin: await bus.admin(), maxReplays: MAX_REPLAYS };
 *   await registerDeadLetterRoutes(app, { db, audit, replayer, defaultRatePerSecond: config.POLKU_BULK_REPLAY_RATE });
 *   const register = await startDeadLetterRegister({ db, transport, admin: await bus.admin(), logger, maxReplays: MAX_REPLAYS });
 *   const runner = startBulkRunner({ db, replayer, audit, logger });
 *   closeOnSignal: app, runner, register, producer, bus, db
 */
export {
  registerDeadLetterRoutes, startDeadLetterRegister, startBulkRunner, MAX_REPLAYS,
  type DeadLetterRouteDeps, type Replayer, type RunningRegister, type BulkRunner,
} from '@polku/dead-letters';
export { createOperatorAudit, type OperatorAudit } from '@polku/operator-audit';
