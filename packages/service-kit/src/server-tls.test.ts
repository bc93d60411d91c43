import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { outboundTls, outboundTlsSettings } from './outbound-tls';
import { serverTls, serverTlsSettings } from './server-tls';

const dir = mkdtempSync(join(tmpdir(), 'polku-tls-settings-'));
const pem = (name: string) => {
  const file = join(dir, name);
  writeFileSync(file, `-----BEGIN ${name}-----\nMIIB\n-----END ${name}-----\n`);
  return file;
};

describe('HTTP TLS settings', () => {
  it('serve plain HTTP when no certificate is given', () => {
    expect(serverTls(loadConfig(serverTlsSettings, {}))).toBeUndefined();
    expect(outboundTls(loadConfig(outboundTlsSettings, {}))).toBeUndefined();
  });

  it('give the listener its certificate, key and client CA', () => {
    const tls = serverTls(loadConfig(serverTlsSettings, { POLKU_TLS_CERT_FILE: pem('CERT'), POLKU_TLS_KEY_FILE: pem('KEY'), POLKU_TLS_CLIENT_CA_FILE: pem('CA') }));
    expect(Object.keys(tls ?? {})).toEqual(['cert', 'key', 'clientCa']);
  });

  it('refuse at start, all at once, a certificate without key, a client CA without TLS and an outbound key without certificate', () => {
    expect(() => loadConfig({ ...serverTlsSettings, ...outboundTlsSettings }, { POLKU_TLS_CLIENT_CA_FILE: pem('CA'), POLKU_OUTBOUND_KEY_FILE: pem('KEY'), POLKU_OUTBOUND_CA_FILE: join(dir, 'none.pem') })).toThrowError(
      'invalid configuration: POLKU_OUTBOUND_CA_FILE cannot be read (ENOENT); POLKU_TLS_CLIENT_CA_FILE needs POLKU_TLS_CERT_FILE and POLKU_TLS_KEY_FILE (mTLS is TLS first); POLKU_OUTBOUND_KEY_FILE needs POLKU_OUTBOUND_CERT_FILE',
    );
    expect(() => loadConfig(serverTlsSettings, { POLKU_TLS_CERT_FILE: pem('CERT') })).toThrowError('POLKU_TLS_CERT_FILE needs POLKU_TLS_KEY_FILE');
  });
});
