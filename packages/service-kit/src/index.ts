export { PolkuError, errorCode, errorMessage } from './errors';
export { createLogger, maskIdentityCodes, PERSONAL_KEYS, type Logger, type LoggerSettings } from './logger';
