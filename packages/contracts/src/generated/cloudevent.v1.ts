// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ConsentId, LegalBasis } from './common.v1';

/**
 * CloudEvents 1.0 structured JSON envelope for every Polku event. The data member is validated separately against the schema named by dataschema.
 */
export interface CloudEventEnvelopeV1 {
  /**
   * CloudEvents version.
   */
  specversion: "1.0";
  /**
   * Unique event id; consumers drop redeliveries by it.
   */
  id: string;
  /**
   * Producing service (/polku/<service>) or organisation system (/org/<organisationId>/<system>).
   */
  source: string;
  /**
   * Event type fi.polku.<entity>.<verb>.v<N>.
   */
  type: string;
  /**
   * When the change happened.
   */
  time: string;
  /**
   * Referral id, consent id, or for the disclosure log the pseudonymous subject reference; never a person's identifier.
   */
  subject: string;
  /**
   * Always JSON.
   */
  datacontenttype: "application/json";
  /**
   * The $id of the data schema.
   */
  dataschema: string;
  /**
   * Event payload, validated against dataschema.
   */
  data: {};
  /**
   * Id shared by every event of one flow (usually the first event's id).
   */
  correlationid?: string;
  /**
   * Id of the event that caused this one.
   */
  causationid?: string;
  /**
   * W3C Trace Context traceparent header.
   */
  traceparent?: string;
  legalbasis?: LegalBasis;
  consentid?: ConsentId;
  /**
   * Extension: id of the Ed25519 key that signed this event (a disclosure-log entry by the service that wrote it, a checkpoint by the sealer).
   */
  signingkeyid?: string;
  /**
   * Extension: Ed25519 signature, base64url without padding, over the RFC 8785 canonical form of the event without signature and signingkeyid.
   */
  signature?: string;
}
