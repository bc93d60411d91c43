import { currentTrace } from '@polku/telemetry';
import { pino, symbols, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

/**
 * Keys whose values are personal data. Whatever object a log call is given, a value
 * under one of these keys (at the top level or up to three levels down) is replaced.
 * One central list: add a key here, never redact ad hoc at a call site.
 */
export const PERSONAL_KEYS = [
  'identityCode', 'hetu', 'ssn', 'personalIdentityCode',
  'name', 'firstName', 'lastName', 'givenName', 'familyName', 'fullName', 'callingName',
  'guardians', 'child', 'contact', 'contacts', 'email', 'phone', 'address', 'postalAddress',
  'description', 'freeText', 'details', 'personalDetails', 'notes',
  'authorization', 'x-api-key', 'apiKey', 'password', 'secret',
] as const;

const REDACT_PATHS = PERSONAL_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dot = k.startsWith('[') ? '' : '.';
  return [k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`];
});

/**
 * A Finnish personal identity code (HETU): six digits of birth date, a century sign,
 * three digits and a check character. Masked in every written line as a last line of
 * defence, so one that slips into a message or an error text is never written.
 */
const HETU = /\b\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-FHJ-NPR-Y]\b/g;

export function maskIdentityCodes(line: string): string {
  return line.replace(HETU, '[HETU]');
}

export interface LoggerSettings {
  /** Service name carried on every line. */
  service: string;
  /** @defaultValue `info` */
  level?: string;
  /** Where lines go. @defaultValue stdout */
  destination?: DestinationStream;
}

/** The one pino root logger of a process. Create children for eventId, correlationId. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: { streamWrite: maskIdentityCodes },
    mixin: traceFields,
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/**
 * The trace of the work a line is written in (an HTTP request, an event, a job), so an operator can
 * find every line of it in every service by one `traceId`. Left out where the logger has it bound
 * already (a request's logger does, from its first line on), so no line names it twice.
 */
function traceFields(_merge: object, _level: number, logger: Logger): Record<string, string> {
  const context = currentTrace();
  if (!context) return {};
  const bindings = (logger as unknown as Record<symbol, unknown>)[symbols.chindingsSym];
  if (typeof bindings === 'string' && bindings.includes('"traceId":')) return {};
  return { traceId: context.traceId, spanId: context.spanId };
}

export type { Logger } from 'pino';
