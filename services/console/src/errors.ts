import { PolkuError } from '@polku/service-kit';

/** Nothing the console has indexed leads to a referral by what was asked. */
export class TraceNotFound extends PolkuError {
  constructor(what: string) {
    super('TRACE_NOT_FOUND', `The console knows no referral by ${what} (not on the topics yet, or not a referral's)`, { status: 404 });
  }
}

/** An idempotency key used by several organisations: the caller names which one. */
export class IdempotencyKeyAmbiguous extends PolkuError {
  constructor(organisations: string[]) {
    super('IDEMPOTENCY_KEY_AMBIGUOUS', `Several organisations used this idempotency key (${organisations.join(', ')}); name one with ?organisationId=`, { status: 409 });
  }
}
