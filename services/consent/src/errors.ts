import { PolkuError } from '@polku/service-kit';

/** Withdrawing a consent that is already withdrawn or expired: nothing to change. */
export class ConsentNotActive extends PolkuError {
  constructor(consentId: string, status: string) {
    super('CONSENT_NOT_ACTIVE', `Consent ${consentId} is ${status}; only an active consent can be withdrawn`, { status: 409 });
  }
}

export class ConsentNotFound extends PolkuError {
  constructor(consentId: string) {
    super('NOT_FOUND', `No consent ${consentId}`, { status: 404 });
  }
}

/** An expiry job ran before its consent's validUntil (a clock step): BullMQ retries it with backoff. */
export class ExpiryNotDue extends PolkuError {
  constructor(consentId: string) {
    super('CONSENT_EXPIRY_NOT_DUE', `Consent ${consentId} is not due to expire yet`, { retryable: true });
  }
}
