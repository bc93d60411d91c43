import type { StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import type { PreparedReferral } from './referral-mix';

/** The headers a prepared request carries beyond its key: the e-service's assertion of its person. */
export type PersonHeaders = (prepared: PreparedReferral) => Record<string, string>;

export interface PersonAssertions {
  headersFor: PersonHeaders;
  stop(): void;
}

/** Assertions may be at most five minutes old when they arrive; renewed well before that. */
const RENEW_MS = 120_000;

/**
 * Signed assertions of the resident e-service for every person a sequence's self-referrals name,
 * signed before the load starts (a request sent at full rate does not wait for a signature) and
 * renewed in the background, so a long run never sends a stale one.
 */
export async function personAssertions(eService: StandInResidentEService, sequence: readonly PreparedReferral[]): Promise<PersonAssertions> {
  const people = [...new Set(sequence.flatMap((p) => (p.person ? [p.person] : [])))];
  const signed = new Map<string, string>();
  const signAll = async () => {
    for (const identityCode of people) signed.set(identityCode, await eService.assert({ identityCode }));
  };
  await signAll();
  const timer = setInterval(() => void signAll(), RENEW_MS);
  timer.unref();
  return {
    headersFor: (prepared): Record<string, string> => {
      const assertion = prepared.person ? signed.get(prepared.person) : undefined;
      return assertion ? { 'x-polku-person-assertion': assertion } : {};
    },
    stop: () => clearInterval(timer),
  };
}
