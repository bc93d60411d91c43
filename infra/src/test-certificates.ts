import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files made for one test run: a CA, a server certificate for loopback, and clients. */
export interface TestCertificates {
  dir: string;
  /** The test CA's certificate: what servers and clients are told to trust. */
  caCert: string;
  /** Server certificate and key for 127.0.0.1 and localhost, issued by the CA. */
  serverCert: string;
  serverKey: string;
  /** A client certificate and key issued by the CA (CN `polku-test-client`). */
  clientCert: string;
  clientKey: string;
  /** A client certificate and key issued by another CA nobody trusts. */
  strangerCert: string;
  strangerKey: string;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`openssl ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
  }
}

/** A key (PKCS#8, unencrypted: Kafka's PEM key store reads it) and a certificate signed by `ca`, or self-signed. */
function issue(dir: string, name: string, subject: string, options: { ca?: string; extensions?: string; isCa?: boolean }): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
  if (!options.ca) {
    openssl(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '2', '-out', `${name}.crt`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    return;
  }
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), options.extensions ?? '');
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${options.ca}.crt`, '-CAkey', `${options.ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

/**
 * Makes a throw-away CA and certificates with openssl, valid two days, for tests of TLS and
 * mTLS (Kafka's SASL_SSL listener, a service's HTTPS listener). Never for anything but tests.
 */
export function createTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  issue(dir, 'ca', '/CN=Polku test CA', { isCa: true });
  issue(dir, 'stranger-ca', '/CN=Stranger test CA', { isCa: true });
  issue(dir, 'server', '/CN=127.0.0.1', {
    ca: 'ca',
    extensions: 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  });
  issue(dir, 'client', '/CN=polku-test-client', { ca: 'ca', extensions: 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' });
  issue(dir, 'stranger', '/CN=polku-stranger', { ca: 'stranger-ca', extensions: 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' });
  const at = (file: string) => join(dir, file);
  return {
    dir,
    caCert: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    strangerCert: at('stranger.crt'),
    strangerKey: at('stranger.key'),
  };
}
