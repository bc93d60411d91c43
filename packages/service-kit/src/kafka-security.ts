import { checked, settings } from './config';

/** The SASL mechanisms a production cluster is reached with; `none` on the local broker. */
export const KAFKA_SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = Exclude<(typeof KAFKA_SASL_MECHANISMS)[number], 'none'>;

/** How a process reaches the brokers: TLS (with a private CA and a client certificate when given) and SASL. */
export interface KafkaSecurity {
  /** TLS to the brokers; `ca` replaces the system's roots when given. */
  ssl?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

const value = <T>(values: Readonly<Record<string, unknown>>, name: string) => values[name] as T;
const saslOn = (values: Readonly<Record<string, unknown>>) => value<string>(values, 'KAFKA_SASL_MECHANISM') !== 'none';
const sslOn = (values: Readonly<Record<string, unknown>>) => value<boolean>(values, 'KAFKA_SSL') === true;

/**
 * The Kafka client's security settings, part of every process's `commonSettings`. Every
 * combination that cannot work, or that would send a password in clear, is refused at start.
 */
export const kafkaSecuritySettings = {
  /** TLS to the brokers. @defaultValue false (the local broker listens on loopback in plain text) */
  KAFKA_SSL: settings.boolean(false),
  /** A PEM bundle of the CAs that signed the brokers' certificates. @defaultValue the system's roots */
  KAFKA_SSL_CA_FILE: checked(settings.pemFile(), (v) => (v['KAFKA_SSL_CA_FILE'] && !sslOn(v) ? 'needs KAFKA_SSL=true' : undefined)),
  /** This process's client certificate (PEM), for brokers that authenticate clients by certificate. */
  KAFKA_SSL_CERT_FILE: checked(settings.pemFile(), (v) => {
    if (!v['KAFKA_SSL_CERT_FILE']) return undefined;
    if (!sslOn(v)) return 'needs KAFKA_SSL=true';
    return v['KAFKA_SSL_KEY_FILE'] ? undefined : 'needs KAFKA_SSL_KEY_FILE';
  }),
  /** The private key of KAFKA_SSL_CERT_FILE (PEM). */
  KAFKA_SSL_KEY_FILE: checked(settings.pemFile(), (v) => (v['KAFKA_SSL_KEY_FILE'] && !v['KAFKA_SSL_CERT_FILE'] ? 'needs KAFKA_SSL_CERT_FILE' : undefined)),
  /**
   * `plain`, `scram-sha-256` or `scram-sha-512`; SASL always over TLS (KAFKA_SSL=true), so no
   * password crosses the network in clear. @defaultValue none
   */
  KAFKA_SASL_MECHANISM: checked(settings.oneOf(KAFKA_SASL_MECHANISMS, 'none'), (v) =>
    saslOn(v) && !sslOn(v) ? 'needs KAFKA_SSL=true: SASL without TLS sends the credentials and every event in clear' : undefined),
  /** This service's own Kafka user (one per service, see docs/transport-security.md). */
  KAFKA_SASL_USERNAME: checked(settings.optionalString(), (v) =>
    saslOn(v) && !v['KAFKA_SASL_USERNAME'] ? `is required with KAFKA_SASL_MECHANISM=${value<string>(v, 'KAFKA_SASL_MECHANISM')}` : undefined),
  /** Its password. Never logged. */
  KAFKA_SASL_PASSWORD: checked(settings.optionalString(), (v) =>
    saslOn(v) && !v['KAFKA_SASL_PASSWORD'] ? `is required with KAFKA_SASL_MECHANISM=${value<string>(v, 'KAFKA_SASL_MECHANISM')}` : undefined),
};

type KafkaSecurityValues = { readonly [K in keyof typeof kafkaSecuritySettings]: ReturnType<(typeof kafkaSecuritySettings)[K]['parse']> };

/** What the bus is given (`createBus({ security })`), from a loaded configuration. Undefined: plain text, no SASL. */
export function kafkaSecurity(config: KafkaSecurityValues): KafkaSecurity | undefined {
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) {
    security.ssl = {
      ...(config.KAFKA_SSL_CA_FILE ? { ca: config.KAFKA_SSL_CA_FILE } : {}),
      ...(config.KAFKA_SSL_CERT_FILE ? { cert: config.KAFKA_SSL_CERT_FILE } : {}),
      ...(config.KAFKA_SSL_KEY_FILE ? { key: config.KAFKA_SSL_KEY_FILE } : {}),
    };
  }
  if (config.KAFKA_SASL_MECHANISM !== 'none' && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD) {
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD };
  }
  return security.ssl || security.sasl ? security : undefined;
}
