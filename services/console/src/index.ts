export { buildApp, type AppDeps } from './app';
export { loadConsoleConfig, consoleSettings, type ConsoleConfig } from './config';
export { auditProjectionSpec, startAuditProjection } from './audit/audit-projection';
export { consoleProjectionSpec, startConsoleProjection, CONSOLE_TOPICS } from './projection/console-projection';
