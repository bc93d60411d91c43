import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { checked, settings } from './config';
import { PolkuError } from './errors';

/** What a listener serves TLS with; with `clientCa`, system-to-system routes need a client certificate (mTLS). */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  /** The CAs whose client certificates are accepted, as the national data-exchange layer does. */
  clientCa?: Buffer;
}

/** The settings of every service's listener (part of `commonSettings`). One way for all services. */
export const serverTlsSettings = {
  /** The listener's certificate chain (PEM). With it (and the key) the service serves HTTPS only. @defaultValue none: plain HTTP on loopback */
  POLKU_TLS_CERT_FILE: checked(settings.pemFile(), (v) => (v['POLKU_TLS_CERT_FILE'] && !v['POLKU_TLS_KEY_FILE'] ? 'needs POLKU_TLS_KEY_FILE' : undefined)),
  /** The listener's private key (PEM). */
  POLKU_TLS_KEY_FILE: checked(settings.pemFile(), (v) => (v['POLKU_TLS_KEY_FILE'] && !v['POLKU_TLS_CERT_FILE'] ? 'needs POLKU_TLS_CERT_FILE' : undefined)),
  /**
   * CAs (PEM) whose client certificates the service accepts. With it every route but health and
   * docs needs a valid client certificate (mTLS), besides the API key. @defaultValue none
   */
  POLKU_TLS_CLIENT_CA_FILE: checked(settings.pemFile(), (v) => (v['POLKU_TLS_CLIENT_CA_FILE'] && !v['POLKU_TLS_CERT_FILE'] ? 'needs POLKU_TLS_CERT_FILE and POLKU_TLS_KEY_FILE (mTLS is TLS first)' : undefined)),
};

type ServerTlsValues = { readonly [K in keyof typeof serverTlsSettings]: ReturnType<(typeof serverTlsSettings)[K]['parse']> };

/** What `createHttpApp({ tls })` is given, from a loaded configuration; undefined: plain HTTP. */
export function serverTls(config: ServerTlsValues): ServerTls | undefined {
  if (!config.POLKU_TLS_CERT_FILE || !config.POLKU_TLS_KEY_FILE) return undefined;
  return { cert: config.POLKU_TLS_CERT_FILE, key: config.POLKU_TLS_KEY_FILE, ...(config.POLKU_TLS_CLIENT_CA_FILE ? { clientCa: config.POLKU_TLS_CLIENT_CA_FILE } : {}) };
}

export class ClientCertificateRequired extends PolkuError {
  constructor() {
    super('CLIENT_CERTIFICATE_REQUIRED', 'This route is system to system: a client certificate issued by a CA this service trusts is needed (mTLS)', { status: 401 });
  }
}

export class ClientCertificateInvalid extends PolkuError {
  constructor() {
    super('CLIENT_CERTIFICATE_INVALID', 'The client certificate was not issued by a CA this service trusts, or has expired', { status: 401 });
  }
}

/** Fastify's `https` options. The certificate is asked for but not required at the handshake, so a refusal is a problem+json 401 and health stays reachable. */
export function httpsOptions(tls: ServerTls) {
  return { cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}) };
}

/**
 * With a client CA, every route that is not public (health, docs) is refused before the API key
 * is even looked at unless the connection presented a certificate the CA issued. Nothing of the
 * certificate is logged.
 */
export function requireClientCertificates(app: FastifyInstance, isPublic: (url: string, config: unknown) => boolean): void {
  app.addHook('onRequest', async (request) => {
    if (isPublic(request.url, request.routeOptions.config)) return;
    const socket = request.raw.socket as Partial<TLSSocket>;
    const presented = typeof socket.getPeerCertificate === 'function' && Object.keys(socket.getPeerCertificate()).length > 0;
    if (!presented) throw new ClientCertificateRequired();
    if (socket.authorized !== true) throw new ClientCertificateInvalid();
  });
}
