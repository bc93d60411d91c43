// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { DisclosureId, OrganisationId, ServiceId, SubjectRef, SystemId, Timestamp } from './common.v1';

/**
 * Someone looked up a subject's consents and bans by identity code (processing of personal data, logged as such). Who looked, on what ground, and how many records they were shown.
 */
export interface DisclosureConsentsViewedV1 {
  disclosureId: DisclosureId;
  /**
   * Whose consents were looked up.
   */
  subjectRef: SubjectRef;
  /**
   * Who looked: a person through the resident e-service, or a professional's system.
   */
  viewer:
    | {
        kind: "person";
        /**
         * Pseudonymous reference of the person who looked: 'pr_' + base64url HMAC-SHA256 of their identity code under the consent service's key.
         */
        personRef: string;
        organisationId: OrganisationId;
        systemId: SystemId;
      }
    | {
        kind: "organisation";
        organisationId: OrganisationId;
        systemId: SystemId;
        /**
         * The services of the viewer's key to which a referral of the subject was routed.
         *
         * @minItems 1
         */
        serviceIds: [ServiceId, ...ServiceId[]];
      };
  /**
   * Why the viewer may look: their own consents, as the subject's guardian, or a referral of the subject routed to the viewer's service.
   */
  ground: "own" | "guardian" | "referral-routed-to-service";
  /**
   * How many consent records the viewer was shown.
   */
  shown: number;
  /**
   * How many were withheld from a guardian because the minor decides personally.
   */
  withheld: number;
  /**
   * When the lookup was answered.
   */
  at: Timestamp;
}
