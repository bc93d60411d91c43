export { decideDisclosure } from './decide-disclosure';
export { coversRecipient, recipientCovers, isActiveAt, hasLapsed, minorDecidesPersonally } from './coverage';
export { statutoryBasis, STATUTES, CONSENT_ONLY_SECTORS } from './statutes';
export type { ConsentRecord, ConsentStatus, Decision, DisclosureBasis, DisclosureRecipient, DisclosureRequest, RefusalReason } from './types';
export { CATEGORY_FIELDS, releaseOf, releases, pickReleased, type Release } from './release';
export { ROUTING_CATEGORIES, purposeFor, refusalReasonCode } from './disclosure-purposes';
