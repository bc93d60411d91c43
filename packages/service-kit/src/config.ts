import { readFileSync } from 'node:fs';
import { PolkuError } from './errors';
import type { PersonAssertionTrust } from './person-assertion';
import { parsePublicKeyring, parseSigningKey, type PublicKeyring, type SigningKey } from './signing-keys';

/**
 * Settings come from the environment, are all checked at start, and every problem is
 * reported at once. A service's `config.ts` is the only file that passes `process.env`
 * here; everything else receives the frozen result.
 */
export interface Setting<T> {
  readonly parse: (raw: string | undefined) => T;
  /**
   * What this setting needs of the others (e.g. a SASL user needs a password), checked once every
   * setting has parsed; returns the problem, reported with all the others.
   */
  readonly check?: (values: Readonly<Record<string, unknown>>) => string | undefined;
}

/** `setting` with a check across settings (see `Setting.check`). */
export function checked<T>(setting: Setting<T>, check: (values: Readonly<Record<string, unknown>>) => string | undefined): Setting<T> {
  return { parse: setting.parse, check };
}

/** Thrown by a setting's parser: `loadConfig` reports it with the setting's name, together with every other problem. */
export class SettingProblem extends Error {}

export function setting<T>(parse: (raw: string | undefined) => T): Setting<T> {
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
  /** `true`/`false` (also `1`/`0`, `yes`/`no`). */
  boolean: (fallback?: boolean) =>
    setting((raw) => {
      const value = required(raw, fallback?.toString()).toLowerCase();
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      throw new SettingProblem('must be true or false');
    }),
  /**
   * A PEM file (certificate, key, CA bundle), read at start: a path that cannot be read, or a
   * file holding no PEM block, is reported with every other problem. Undefined when not given.
   */
  pemFile: () =>
    setting((raw): Buffer | undefined => {
      if (raw === undefined || raw === '') return undefined;
      let content: Buffer;
      try {
        content = readFileSync(raw);
      } catch (error) {
        throw new SettingProblem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (!content.toString('utf8').includes('-----BEGIN ')) throw new SettingProblem('holds no PEM block');
      return content;
    }),
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
  /**
   * A service's own Ed25519 signing key, `<key id>:<base64 of PKCS#8 DER>` (e.g. its
   * POLKU_DISCLOSURE_SIGNING_KEY); undefined when not given and `optional`. Never quoted in a message.
   */
  signingKey: <O extends boolean = false>(options?: { optional?: O }) =>
    setting((raw): O extends true ? SigningKey | undefined : SigningKey => {
      if (raw === undefined || raw === '') {
        if (options?.optional) return undefined as O extends true ? SigningKey | undefined : SigningKey;
        throw new SettingProblem('is required');
      }
      try {
        return parseSigningKey(raw);
      } catch (error) {
        throw new SettingProblem((error as Error).message);
      }
    }),
  /** Ed25519 public keys by key id, `<key id>:<base64 of SPKI DER>`, comma-separated (e.g. POLKU_DISCLOSURE_PUBLIC_KEYS). */
  publicKeyring: () =>
    setting((raw): PublicKeyring => {
      try {
        return parsePublicKeyring(required(raw, undefined));
      } catch (error) {
        throw error instanceof SettingProblem ? error : new SettingProblem((error as Error).message);
      }
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
  for (const [name, { check }] of Object.entries(spec)) {
    const problem = check && name in result ? check(result) : undefined;
    if (problem) problems.push(`${name} ${problem}`);
  }
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  return Object.freeze(result) as Parsed<S>;
}
