export { defineAdapter, type AdapterDefinition, type AdapterModule, type ParsedSettings, type SectorAdapter, type SettingsSpec } from './define-adapter';
export type { Delivery, DeliveryContext, DeliveryReceipt, ReferralFacts } from './delivery';
export type { CallbackAction, CallbackHandling, CallbackRequest } from './callback';
export { RetryableDeliveryError, RejectedDeliveryError, DetailsNotReadyError, CallbackSignatureInvalid, ConsentMissingError, MAX_ANSWER_BYTES, truncateUtf8 } from './errors';
export { sign, signatureHeaders, verify, SIGNATURE_HEADERS, DEFAULT_TOLERANCE_SECONDS, type VerifyOptions } from './signing';
export { parseRetryAfter } from './retry-after';
export { postSigned, type PostSignedOptions, type SignedAnswer } from './post-signed';
export { detailCategories, fetchReferralDetails, organisationKeys, referralApiSettings, type FetchReferralDetailsOptions, type ReferralDetails } from './referral-details';
export {
  WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS, WebhookRefused, newWebhookSecret, redisReplayCache, verifyWebhook, webhookHeaders, webhookSecretBytes,
  type ReplayCache, type RedisSetNx, type VerifyWebhookOptions,
} from './standard-webhooks';
