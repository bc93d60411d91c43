// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { OpaqueRef, OrganisationId, SystemId, Timestamp } from './common.v1';

/**
 * An operator asked for a change (a dead-letter replay, park, bulk replay or its cancel, a key revocation). Written to the audit topic before the change runs; the change is refused when this cannot be written. Ids and codes only: the reason is a code and a ticket reference, never free text.
 */
export interface OperatorActionRequestedV1 {
  /**
   * Names the action: its outcome event carries the same id.
   */
  actionId: string;
  /**
   * What the operator did.
   */
  action:
    | "dead-letter.replay"
    | "dead-letter.park"
    | "dead-letter.bulk-replay"
    | "dead-letter.bulk-cancel"
    | "api-key.revoke";
  /**
   * Who asked: a system by its API key (`keyId`), or a person signed in to the console's pages (`person`, from their session); never from a request body. The audit writes exactly one of the two.
   */
  actor: {
    /**
     * An API key's id (never its secret), when a system asked.
     */
    keyId?: string;
    /**
     * A person signed in to the console's pages through their organisation's identity provider, when a person asked.
     */
    person?: {
      /**
       * The identity provider's subject (`sub`) of the person: an employee reference, never an identity code or a name.
       */
      subject: OpaqueRef;
    };
    organisationId: OrganisationId;
    systemId: SystemId;
  };
  /**
   * Why.
   */
  reason: {
    /**
     * The kind of reason.
     */
    code:
      | "cause-fixed"
      | "dependency-recovered"
      | "poison-record"
      | "key-compromised"
      | "key-unused"
      | "mistake"
      | "drill"
      | "other";
    /**
     * The incident or ticket the action belongs to, as a reference.
     */
    ticket?: OpaqueRef;
  };
  /**
   * What the action is about, when it is one thing.
   */
  target?: {
    /**
     * A dead letter: `<dead-letter topic>/<partition>/<offset>`.
     */
    deadLetterId?: string;
    bulkReplayId?: string;
    /**
     * An API key's id (never its secret).
     */
    keyId?: string;
  };
  /**
   * The dead letters a bulk replay takes.
   */
  filter?: {
    topic?: string;
    group?: string;
    errorCode?: string;
    from?: Timestamp;
    to?: Timestamp;
  };
  /**
   * What the dry run found and the operator confirmed: dead letters by error code and group.
   */
  counts?: {
    matched: number;
    /**
     * @maxItems 1000
     */
    byCause?: {
      errorCode: string;
      group: string;
      count: number;
    }[];
  };
  requestedAt: Timestamp;
}
