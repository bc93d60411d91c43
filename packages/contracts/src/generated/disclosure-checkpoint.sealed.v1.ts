// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Timestamp } from './common.v1';

/**
 * The disclosure sealer chained a range of one partition of the disclosure log (SHA-256 over the previous hash and each entry in RFC 8785 form) and signs, with its own key, what it sealed: every offset with its chain hash, and the entries it found without a valid service signature. The event carries the signature and signingkeyid extension attributes.
 */
export interface DisclosureCheckpointSealedV1 {
  /**
   * The disclosure-log topic sealed, without a deployment's namespace (Kafka's legal topic characters).
   */
  logTopic: string;
  /**
   * The partition of the log topic.
   */
  partition: number;
  /**
   * Offset of the first entry sealed.
   */
  fromOffset: number;
  /**
   * Offset of the last entry sealed.
   */
  toOffset: number;
  /**
   * Entries sealed (offsets need not be contiguous).
   */
  count: number;
  /**
   * Chain hash (SHA-256, lower-case hex) before fromOffset: the previous checkpoint's lastHash, or 64 zeros at the start of the partition.
   */
  previousHash: string;
  /**
   * Chain hash after toOffset.
   */
  lastHash: string;
  /**
   * Every entry of the range in offset order with the chain hash after it.
   *
   * @minItems 1
   * @maxItems 5000
   */
  entries: [
    {
      /**
       * The entry's offset.
       */
      offset: number;
      /**
       * Chain hash after the entry.
       */
      hash: string;
    },
    ...{
      /**
       * The entry's offset.
       */
      offset: number;
      /**
       * Chain hash after the entry.
       */
      hash: string;
    }[]
  ];
  /**
   * Entries of the range without a valid service signature, as the sealer found them; they are chained like any other, so none can be hidden.
   */
  forged: {
    /**
     * The entry's offset.
     */
    offset: number;
    /**
     * Why the signature is not valid.
     */
    problem: "unsigned" | "unknown-key" | "bad-signature" | "not-an-event" | "wrong-signer";
  }[];
  /**
   * When the checkpoint was made.
   */
  sealedAt: Timestamp;
}
