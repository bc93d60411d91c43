import { rootCertificates } from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';
import { checked, settings } from './config';

/** What this process's outbound HTTPS calls trust and present. */
export interface OutboundTls {
  /** Private CAs trusted besides the system's roots (e.g. the backbone's own). */
  ca?: Buffer;
  /** The client certificate presented to servers that ask for one (mTLS), with its key. */
  cert?: Buffer;
  key?: Buffer;
}

/**
 * The settings of every process's outbound HTTP (part of `commonSettings`): the consent client,
 * the details fetch (claim check) and the deliveries to external systems all use them.
 */
export const outboundTlsSettings = {
  /** Extra CAs (PEM) trusted for outbound HTTPS, besides the system's roots. @defaultValue none */
  POLKU_OUTBOUND_CA_FILE: settings.pemFile(),
  /** The client certificate (PEM) this process presents when a server asks (mTLS). @defaultValue none */
  POLKU_OUTBOUND_CERT_FILE: checked(settings.pemFile(), (v) => (v['POLKU_OUTBOUND_CERT_FILE'] && !v['POLKU_OUTBOUND_KEY_FILE'] ? 'needs POLKU_OUTBOUND_KEY_FILE' : undefined)),
  /** Its private key (PEM). */
  POLKU_OUTBOUND_KEY_FILE: checked(settings.pemFile(), (v) => (v['POLKU_OUTBOUND_KEY_FILE'] && !v['POLKU_OUTBOUND_CERT_FILE'] ? 'needs POLKU_OUTBOUND_CERT_FILE' : undefined)),
};

type OutboundTlsValues = { readonly [K in keyof typeof outboundTlsSettings]: ReturnType<(typeof outboundTlsSettings)[K]['parse']> };

export function outboundTls(config: OutboundTlsValues): OutboundTls | undefined {
  const tls: OutboundTls = {
    ...(config.POLKU_OUTBOUND_CA_FILE ? { ca: config.POLKU_OUTBOUND_CA_FILE } : {}),
    ...(config.POLKU_OUTBOUND_CERT_FILE && config.POLKU_OUTBOUND_KEY_FILE ? { cert: config.POLKU_OUTBOUND_CERT_FILE, key: config.POLKU_OUTBOUND_KEY_FILE } : {}),
  };
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/**
 * Makes every `fetch` of this process trust `tls.ca` (besides the system's roots) and present
 * the client certificate when asked: one setting for all outbound clients, none of which needs
 * to know. Call once at start, from `server.ts`; nothing to do when `tls` is undefined.
 */
export function useOutboundTls(tls: OutboundTls | undefined): void {
  if (!tls) return;
  const ca = tls.ca ? [...rootCertificates, tls.ca.toString('utf8')] : undefined;
  setGlobalDispatcher(new Agent({ connect: { ...(ca ? { ca } : {}), ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) } }));
}
