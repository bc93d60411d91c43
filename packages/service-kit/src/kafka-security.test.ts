import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { kafkaSecurity, kafkaSecuritySettings } from './kafka-security';

const dir = mkdtempSync(join(tmpdir(), 'polku-kafka-settings-'));
const pem = join(dir, 'ca.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = join(dir, 'not.pem');
writeFileSync(notPem, 'hello');

describe('Kafka TLS and SASL settings', () => {
  it('are off by default: plain text, no SASL', () => {
    expect(kafkaSecurity(loadConfig(kafkaSecuritySettings, {}))).toBeUndefined();
  });

  it('give the bus TLS with the CA and SCRAM-SHA-512 credentials', () => {
    const config = loadConfig(kafkaSecuritySettings, {
      KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pem, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'referral-api', KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(kafkaSecurity(config)).toEqual({ ssl: { ca: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') }, sasl: { mechanism: 'scram-sha-512', username: 'referral-api', password: 'pw' } });
  });

  it('report every problem at once, SASL without TLS among them', () => {
    expect(() => loadConfig(kafkaSecuritySettings, {
      KAFKA_SSL: 'maybe', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem'), KAFKA_SSL_CERT_FILE: notPem, KAFKA_SASL_MECHANISM: 'gssapi',
    })).toThrowError('invalid configuration: KAFKA_SSL must be true or false; KAFKA_SSL_CA_FILE cannot be read (ENOENT); KAFKA_SSL_CERT_FILE holds no PEM block; KAFKA_SASL_MECHANISM must be one of none, plain, scram-sha-256, scram-sha-512');
    expect(() => loadConfig(kafkaSecuritySettings, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SSL_KEY_FILE: pem })).toThrowError(
      'invalid configuration: KAFKA_SSL_KEY_FILE needs KAFKA_SSL_CERT_FILE; KAFKA_SASL_MECHANISM needs KAFKA_SSL=true: SASL without TLS sends the credentials and every event in clear; KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=plain; KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM=plain',
    );
  });
});
