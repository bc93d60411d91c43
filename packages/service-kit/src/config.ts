import { PolkuError } from './errors';
import type { PersonAssertionTrust } from './person-assertion';

/**
 * Settings come from the environment, are all checked at start, and every problem is
 * reported at once. A service's `config.ts` is the only file that passes `process.env`
 * here; everything else receives the frozen result.
 */
export interface Setting<T> {
  readonly parse: (raw: string | undefined) => T;
}

/** Thrown by a setting's parser: `loadConfig` reports it with the setting's name, together with every other problem. */
export class SettingProblem extends Error {}

function setting<T>(parse: (raw: string | undefined) => T): Setting<T> {
  return { parse };
}

function required(raw: string | undefined, fallback: string | undefined): string {
  const value = raw === undefined || raw === '' ? fallback : raw;
  if (value === undefined) throw new SettingProblem('is required');
  return value;
}

export const settings = {
  string: (fallback?: string) => setting((raw) => required(raw, fallback)),
  optionalString: () => setting((raw) => (raw === undefined || raw === '' ? undefined : raw)),
  integer: (fallback?: number, bounds: { min?: number; max?: number } = {}) =>
    setting((raw) => {
      const value = Number(required(raw, fallback?.toString()));
      if (!Number.isInteger(value)) throw new SettingProblem('must be an integer');
      if (bounds.min !== undefined && value < bounds.min) throw new SettingProblem(`must be at least ${bounds.min}`);
      if (bounds.max !== undefined && value > bounds.max) throw new SettingProblem(`must be at most ${bounds.max}`);
      return value;
    }),
  port: (fallback?: number) => settings.integer(fallback, { min: 0, max: 65535 }),
  url: (fallback?: string) =>
    setting((raw) => {
      const value = required(raw, fallback);
      if (!URL.canParse(value)) throw new SettingProblem('must be a URL');
      return value;
    }),
  list: (fallback?: string) =>
    setting((raw) => required(raw, fallback).split(',').map((s) => s.trim()).filter(Boolean)),
  oneOf: <V extends string>(values: readonly V[], fallback?: V) =>
    setting((raw) => {
      const value = required(raw, fallback);
      if (!values.includes(value as V)) throw new SettingProblem(`must be one of ${values.join(', ')}`);
      return value as V;
    }),
  /** A secret key given as base64 of exactly `bytes` bytes. */
  key: (bytes: number, fallback?: string) =>
    setting((raw) => {
      const value = Buffer.from(required(raw, fallback), 'base64');
      if (value.length !== bytes) throw new SettingProblem(`must be ${bytes} bytes in base64`);
      return value;
    }),
  /**
   * The resident e-service's trust as JSON `{ "issuer", "audience", "keys": <JWKS> }`; undefined
   * when not given, and then the service acts for no person.
   */
  personAssertionTrust: () =>
    setting((raw): PersonAssertionTrust | undefined => {
      if (raw === undefined || raw === '') return undefined;
      let trust: Partial<PersonAssertionTrust>;
      try {
        trust = JSON.parse(raw) as Partial<PersonAssertionTrust>;
      } catch {
        throw new SettingProblem('must be JSON');
      }
      if (typeof trust.issuer !== 'string' || typeof trust.audience !== 'string' || !Array.isArray(trust.keys?.keys) || trust.keys.keys.length === 0) {
        throw new SettingProblem('must hold issuer, audience and keys (a JWKS with at least one key)');
      }
      return trust as PersonAssertionTrust;
    }),
};

type Parsed<S> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export function loadConfig<S extends Record<string, Setting<unknown>>>(spec: S, env: Record<string, string | undefined>): Parsed<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, { parse }] of Object.entries(spec)) {
    try {
      result[name] = parse(env[name]);
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  return Object.freeze(result) as Parsed<S>;
}

/** Settings every backbone process has, with the local development defaults. */
export const commonSettings = {
  /** Comma-separated host:port list. @defaultValue the local broker, 127.0.0.1:19092 */
  KAFKA_BROKERS: settings.list('127.0.0.1:19092'),
  /** The Redis of the BullMQ queues: Polku's own (append-only file, no eviction). @defaultValue redis://127.0.0.1:6390 */
  REDIS_URL: settings.url('redis://127.0.0.1:6390'),
  /** The PostgreSQL database (`npm run infra:up` prints it). @defaultValue postgres://postgres@127.0.0.1:5432/polku */
  DATABASE_URL: settings.url('postgres://postgres@127.0.0.1:5432/polku'),
  /** Deadline of every database call, connecting included; past it the call fails as unavailable (503). @defaultValue 2000 */
  POLKU_DATABASE_TIMEOUT_MS: settings.integer(2000, { min: 50, max: 60_000 }),
  /**
   * Connections a process holds at most. A projection holds one per partition it handles at once,
   * for the length of the event's transaction. @defaultValue 15
   */
  POLKU_DATABASE_POOL_SIZE: settings.integer(15, { min: 2, max: 500 }),
  /**
   * Puts every Kafka topic and consumer group of this deployment under `<namespace>.`, so a
   * benchmark or a second deployment shares a broker without touching the real topics.
   * Lower-case letters, digits and dashes. @defaultValue none: the real topics
   */
  POLKU_NAMESPACE: setting((raw) => {
    if (raw === undefined || raw === '') return undefined;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(raw)) throw new SettingProblem('must be lower-case letters, digits and dashes');
    return raw;
  }),
  /**
   * Failed authentications (no key, a wrong, revoked or expired key, an invalid person assertion)
   * one client may make per minute, counted in REDIS_URL, before 429 TOO_MANY_AUTH_FAILURES.
   * @defaultValue 20
   */
  POLKU_AUTH_FAILURES_PER_MINUTE: settings.integer(20, { min: 1, max: 1_000_000 }),
  /**
   * The resident e-service this deployment trusts to vouch for a person (docs/keys.md), as JSON
   * `{ "issuer", "audience", "keys": <JWKS> }`. @defaultValue none: the service acts for no person
   */
  POLKU_RESIDENT_E_SERVICE: settings.personAssertionTrust(),
  /** @defaultValue info */
  LOG_LEVEL: settings.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
};
