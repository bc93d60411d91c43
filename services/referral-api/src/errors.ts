import { PolkuError } from '@polku/service-kit';

/** Codes of this service; each has a row in docs/errors.md. */
export class ReferralNotFound extends PolkuError {
  constructor(referralId: string) {
    super('REFERRAL_NOT_FOUND', `No referral ${referralId}; a new one shows here a moment after its 202`, { status: 404 });
  }
}

export class DetailsNotFound extends PolkuError {
  constructor(referralId: string) {
    super('DETAILS_NOT_FOUND', `The vault holds no details for referral ${referralId}; nothing was released`, { status: 404 });
  }
}

export class DetailsErased extends PolkuError {
  constructor(referralId: string) {
    super('DETAILS_ERASED', `The details of referral ${referralId} were erased after it closed, as the retention schedule says; nothing was released`, { status: 410 });
  }
}

export class DisclosureLogUnavailable extends PolkuError {
  constructor(cause: unknown) {
    super('DISCLOSURE_LOG_UNAVAILABLE', 'The disclosure could not be logged, so nothing was released; retry shortly', { status: 503, retryable: true, cause });
  }
}

export class ReferralNotRoutedYet extends PolkuError {
  constructor(referralId: string) {
    super('REFERRAL_NOT_ROUTED_YET', `Referral ${referralId} has not been routed yet, so it has no recipients; retry in a moment`, { status: 409, retryable: true });
  }
}
