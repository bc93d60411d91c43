export { PolkuError, errorCode, errorMessage } from './errors';
export { createLogger, maskIdentityCodes, PERSONAL_KEYS, type Logger, type LoggerSettings } from './logger';
export { loadConfig, settings, commonSettings, type Setting } from './config';
export { createHttpApp, type HttpAppOptions } from './http-app';
export { registerProblemHandling, sendProblem, problemType, RequestInvalid, PROBLEM_CONTENT_TYPE, type Problem, type ProblemInput, type FieldProblem } from './problem';
export { redisApiKeyStore, type ApiKeyStore, type Caller, type CallerRole } from './api-keys';
export { registerApiKeyAuth, requireRole, NotAuthenticated, Forbidden } from './auth';
export { closeOnSignal, type Closeable } from './lifecycle';
export { timerJobOptions } from './timer-job';
