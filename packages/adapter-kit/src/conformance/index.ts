/**
 * The conformance suite every adapter runs (STYLE 8): import it from a test file only,
 * never from running code, since it registers vitest blocks.
 */
import { callbackSuite } from './callback-suite';
import type { ConformanceOptions } from './conformance-stub';
import { deliverySuite } from './delivery-suite';

export type { AdapterBinding, ConformanceOptions, ConformanceStub, ReceivedDelivery, ScriptedAnswer } from './conformance-stub';
export { sampleDelivery, sampleContext } from './sample-delivery';

/** Registers the delivery and callback suites for one adapter and its stand-in system. */
export function runConformance(options: ConformanceOptions): void {
  deliverySuite(options);
  callbackSuite(options);
}
export { startReferralApiDouble, type DetailsDecision, type DetailsRequest, type ReferralApiDouble, type ReferralApiDoubleOptions } from './referral-api-double';
