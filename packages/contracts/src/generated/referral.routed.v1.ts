// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { CatalogueKey, OrganisationId, Party, ReferralId, Sector, ServiceId, Timestamp } from './common.v1';

/**
 * Routing decided the lead service and the co-workers for a referral.
 */
export interface ReferralRoutedV1 {
  referralId: ReferralId;
  /**
   * The lead service: the family's one contact.
   */
  lead: {
    organisationId: OrganisationId;
    serviceId: ServiceId;
    sector: Sector;
  };
  /**
   * Services that work with the lead; empty when the lead works alone.
   */
  coWorkers: Party[];
  /**
   * Routing rule that matched.
   */
  ruleId: CatalogueKey;
  /**
   * True when a guidance coordinator chose the route instead of a rule alone.
   */
  viaCoordinator: boolean;
  /**
   * When the route was decided.
   */
  routedAt: Timestamp;
}
