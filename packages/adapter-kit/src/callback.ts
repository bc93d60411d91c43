import type { ReferralClosedV1, ReferralContactMadeV1, ReferralDeclinedV1 } from '@polku/contracts';

/** A callback request as it arrived: the body exactly as sent, since the signature covers it. */
export interface CallbackRequest {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  /** @defaultValue now */
  receivedAt?: Date;
}

interface CallbackBase {
  /** The system's id for this callback; a repeated callback with the same id is one event. */
  callbackId: string;
  referralId: string;
  /** The delivery the callback answers, when the system names it. */
  deliveryId?: string;
  occurredAt: string;
  externalRef?: string;
}

/** What a sector system told Polku, in Polku's vocabulary. */
export type CallbackAction = CallbackBase &
  (
    | { action: 'accept'; contactDueBy?: string }
    | { action: 'decline'; reasonCode: ReferralDeclinedV1['reasonCode'] }
    | { action: 'first-contact'; channel: ReferralContactMadeV1['channel'] }
    | { action: 'close'; reason: ReferralClosedV1['reason'] }
  );

/** How an adapter takes callbacks from its system. */
export interface CallbackHandling<Body = unknown> {
  /** JSON Schema of the body the system sends; the host validates it as the route's body schema. */
  bodySchema: Record<string, unknown>;
  /**
   * Checks the request comes from the system (signature, freshness).
   * @throws CallbackSignatureInvalid, answered 401
   */
  verify(request: CallbackRequest): void;
  /** The system's body (already schema-valid) → what Polku records. */
  toAction(body: Body): CallbackAction;
}
