import { randomUUID } from 'node:crypto';
import type { Party } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import type { Delivery, DeliveryContext } from '../delivery';

/** A delivery with fresh ids and plausible routing facts, addressed to `recipient`. */
export function sampleDelivery(recipient: Party): Delivery {
  return {
    deliveryId: randomUUID(),
    referralId: randomUUID(),
    role: 'lead',
    recipient,
    referral: {
      needCodes: ['school-attendance', 'mental-health'],
      urgency: 'soon',
      municipalityCode: '179',
      ageBand: '13-15',
      language: 'fi',
      legalBasis: 'consent',
      submittedAt: '2025-03-10T08:14:52+02:00',
    },
    callbackUrl: 'http://127.0.0.1:1/v1/adapters/test/callbacks',
  };
}

export function sampleContext(attempt = 1): DeliveryContext {
  return { attempt, signal: new AbortController().signal, logger: createLogger({ service: 'conformance', level: 'silent' }) };
}
