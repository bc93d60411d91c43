export { createDatabase, openServiceDatabase, type Database, type DatabaseOptions, type Sql } from './database';
export { DatabaseUnavailable, isUnavailable } from './errors';
export { migrate, MIGRATIONS_DIR } from '@polku/infra';
export { once, forgetExpiredAnswers, IdempotencyKeyReused, IDEMPOTENCY_TTL_HOURS, type IdempotencyClaim, type IdempotencyScope, type StoredAnswer } from './idempotency';
export { bodyFingerprint, canonicalJson } from './canonical-json';
