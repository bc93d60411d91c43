/** A Polku event on the wire: CloudEvents 1.0 structured JSON (schemas/envelope/cloudevent.v1.json). */
export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: T;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  legalbasis?: string;
  consentid?: string;
  /** Id of the key that signed the event (disclosure-log entries and checkpoints). */
  signingkeyid?: string;
  /** Ed25519 signature, base64url, over the RFC 8785 form of the event without these two. */
  signature?: string;
}
