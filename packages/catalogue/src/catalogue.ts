import type { NeedCode, Sector, Statute } from '@polku/contracts';

/** Kinds of service the rules route to; catalogue.schema.json holds the same enum (a test keeps them equal). */
export const SERVICE_KINDS = [
  'family-centre',
  'student-welfare',
  'child-welfare',
  'mental-health',
  'school',
  'ngo-family-support',
  'ngo-youth-work',
  'parish-family-work',
  'guidance-coordinator',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface LocalisedName {
  fi: string;
  sv?: string;
}

export interface Municipality {
  /** Statistics Finland three-digit code. */
  code: string;
  name: LocalisedName;
}

export interface Organisation {
  id: string;
  name: LocalisedName;
  sector: Sector;
  /** Finnish business id (Y-tunnus), e.g. `1234567-8`. */
  businessId?: string;
}

/** Inclusive age range in whole years. */
export interface AgeRange {
  min: number;
  max: number;
}

export interface Service {
  id: string;
  organisationId: string;
  name: LocalisedName;
  kind: ServiceKind;
  /** Sector of this service when it differs from its organisation's (a wellbeing area runs several). */
  sector?: Sector;
  municipalities: string[];
  needCodes: NeedCode[];
  ages: AgeRange;
  /** ISO 639 codes the service can work in. */
  languages: string[];
  /** Statutes under which it may receive a referral without consent. */
  acceptsStatutory: Statute[];
}

export interface Catalogue {
  region: string;
  description?: string;
  /** The guidance coordinator that takes what no local one covers (e.g. a municipality outside the region). */
  fallbackServiceId: string;
  municipalities: Municipality[];
  organisations: Organisation[];
  services: Service[];
}
