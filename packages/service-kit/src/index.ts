export { PolkuError, errorCode, errorMessage } from './errors';
export { createLogger, maskIdentityCodes, PERSONAL_KEYS, type Logger, type LoggerSettings } from './logger';
export { loadConfig, settings, commonSettings, SettingProblem, type Setting } from './config';
export { createHttpApp, type HttpAppOptions } from './http-app';
export { registerProblemHandling, sendProblem, problemType, RequestInvalid, PROBLEM_CONTENT_TYPE, DEFAULT_RETRY_AFTER_SECONDS, type Problem, type ProblemInput, type FieldProblem } from './problem';
export { sqlApiKeyStore, type ApiKeyStore, type Caller, type CallerRole, type KeyTable } from './api-keys';
export { registerApiKeyAuth, requireRole, NotAuthenticated, Forbidden } from './auth';
export { closeOnSignal, type Closeable } from './lifecycle';
export { timerJobOptions } from './timer-job';
