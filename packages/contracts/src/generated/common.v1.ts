// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

/**
 * Identifier of a referral (yhteydenotto), assigned by the referral API.
 */
export type ReferralId = string;

/**
 * Identifier of a consent record in the consent ledger.
 */
export type ConsentId = string;

/**
 * Identifier of one outbound delivery to a sector system; doubles as its idempotency key.
 */
export type DeliveryId = string;

/**
 * Identifier of one disclosure-log entry.
 */
export type DisclosureId = string;

/**
 * Pseudonymous subject reference: 'sr_' + base64url HMAC-SHA256 of the identity code. Stable, not reversible without the key.
 */
export type SubjectRef = string;

/**
 * A key in the service catalogue: lower-case kebab-case.
 */
export type CatalogueKey = string;

/**
 * Organisation key in the service catalogue.
 */
export type OrganisationId = CatalogueKey;

/**
 * Service key in the service catalogue.
 */
export type ServiceId = CatalogueKey;

/**
 * Key of an information system of an organisation.
 */
export type SystemId = CatalogueKey;

/**
 * Opaque reference to a professional user in the organisation's own directory; never a name or identity code.
 */
export type ProfessionalRef = string;

/**
 * Sector an organisation or service belongs to.
 */
export type Sector = "education" | "social-services" | "health" | "ngo" | "parish" | "guidance";

/**
 * Coded need behind a referral; never free text.
 */
export type NeedCode =
  | "school-attendance"
  | "learning-support"
  | "bullying"
  | "mental-health"
  | "substance-use"
  | "family-conflict"
  | "parenting-support"
  | "financial-hardship"
  | "housing"
  | "domestic-violence"
  | "child-welfare-concern"
  | "disability-support"
  | "early-development"
  | "loneliness-leisure"
  | "integration-support";

/**
 * Coded needs; at least one, no duplicates.
 *
 * @minItems 1
 */
export type NeedCodes = [NeedCode, ...NeedCode[]];

/**
 * How soon help must start: routine, soon (within days), urgent (same or next working day).
 */
export type Urgency = "routine" | "soon" | "urgent";

/**
 * Statistics Finland three-digit municipality code.
 */
export type MunicipalityCode = string;

/**
 * Age band of the child or young person; never a birth date.
 */
export type AgeBand = "0-2" | "3-6" | "7-12" | "13-15" | "16-17" | "18-29" | "unknown";

/**
 * ISO 639 language code of service (fi, sv, se, en, ...).
 */
export type Language = string;

/**
 * Basis of processing or disclosure: consent, child welfare act 25 § (notification) or 25 a § (joint contact), social welfare act 35 §.
 */
export type LegalBasis = "consent" | "lsl-25" | "lsl-25a" | "shl-35";

/**
 * Category of personal data held in the vault (the data itself never travels on topics).
 */
export type DataCategory =
  "identity" | "contact" | "guardians" | "need-description" | "education" | "health" | "social-care";

/**
 * Data categories; at least one, no duplicates.
 *
 * @minItems 1
 */
export type DataCategories = [DataCategory, ...DataCategory[]];

/**
 * Purpose of a disclosure or consent.
 */
export type Purpose = "guidance" | "service-provision" | "child-welfare-assessment" | "follow-up";

/**
 * An organisation, optionally narrowed to one of its services.
 */
export interface Party {
  organisationId: OrganisationId;
  serviceId?: ServiceId;
  sector?: Sector;
}

/**
 * Professional role of whoever submitted a referral; resident for a person's own request and guardian for a guardian's request about their child, both only through the resident e-service with a verified identification.
 */
export type SubmitterRole =
  | "teacher"
  | "school-social-worker"
  | "school-psychologist"
  | "school-nurse"
  | "ecec-teacher"
  | "public-health-nurse"
  | "social-worker"
  | "health-professional"
  | "youth-worker"
  | "ngo-worker"
  | "parish-worker"
  | "resident"
  | "guardian";

/**
 * Sector adapter id '<sector>.<system>'.
 */
export type AdapterId = string;

/**
 * RFC 3339 date-time with offset.
 */
export type Timestamp = string;

/**
 * A statute that allows disclosure without consent: child welfare act 25 § / 25 a §, social welfare act 35 §.
 */
export type Statute = "lsl-25" | "lsl-25a" | "shl-35";

/**
 * Opaque reference into another system (a document, a record entry); never contains personal data.
 */
export type OpaqueRef = string;

/**
 * Every organisation of a sector, e.g. consent to disclose to any NGO service.
 */
export interface SectorRecipient {
  sector: Sector;
}

/**
 * A named party or a whole sector.
 */
export type ConsentRecipient = Party | SectorRecipient;

/**
 * Who gave or declared the consent, by role only.
 */
export interface Grantor {
  role: "self" | "guardian" | "legal-representative";
}

/**
 * Organisation and professional who recorded the consent.
 */
export interface Recorder {
  organisationId: OrganisationId;
  professionalRef: ProfessionalRef;
}

/**
 * Act the consent is given under: client data act 703/2023, student welfare act 1287/2013, child welfare act 417/2007, social welfare act 1301/2014, or GDPR art. 6(1)(a).
 */
export type LegalFramework = "703/2023" | "1287/2013" | "417/2007" | "1301/2014" | "gdpr-6-1-a";

/**
 * Purposes; at least one, no duplicates.
 *
 * @minItems 1
 */
export type Purposes = [Purpose, ...Purpose[]];

/**
 * Who received (or asked for) vault data: organisation, its system, and optionally the user as an opaque reference.
 */
export interface DisclosureRecipient {
  organisationId: OrganisationId;
  systemId: SystemId;
  userRef?: ProfessionalRef;
}
