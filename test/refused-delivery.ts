import { expect } from 'vitest';
import { TOPICS } from '@polku/contracts';
import type { RunningBackbone } from './backbone';
import { call } from './client';
import { consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';

export interface DeadLetterView { id: string; deliveryId: string | null; errorCode: string; state: string; consumer: string; originalTopic: string; replayCount: number; parkedReason: string | null }
export interface StubDelivery { idempotencyKey: string; referralId: string; answers: number[] }

/**
 * What the e2e tests of dead letters share: a referral whose delivery the stand-in school refuses
 * (422, which retrying cannot help), and the dead letter the console then lists for it.
 */
export function refusedDeliveries(run: RunningBackbone) {
  const fixtures: ReferralFixture[] = [];
  const school = () => run.backbone.urls.school;

  /** The guardian's permission for the school (lead) and student welfare, then the referral; its consent id and referral id. */
  async function submitWithConsent(): Promise<{ referralId: string; consentId: string }> {
    const fixture = learningSupportReferral();
    fixtures.push(fixture);
    const recipients = [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }];
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const submitted = await call('POST', `${run.backbone.urls.referralApi}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    return { referralId: submitted.body.id, consentId: consent.body.consent.consentId };
  }

  async function stubDeliveries(referralId: string): Promise<StubDelivery[]> {
    const answer = await call('GET', `${school()}/_stub/deliveries`);
    return answer.body.deliveries.filter((d: StubDelivery) => d.referralId === referralId);
  }

  async function listDeadLetters(query: string, key = run.keys.operator): Promise<DeadLetterView[]> {
    const answer = await call('GET', `${run.backbone.urls.console}/v1/dead-letters?${query}`, { key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.deadLetters as DeadLetterView[];
  }

  /** The school answers these statuses to the next attempts, then 200 (an empty list: it accepts again). */
  const scriptSchool = (answers: number[]) => call('POST', `${school()}/_stub/script`, { body: { answers, body: { error: 'unknown school unit', code: 'E_UNIT' } } });

  /** The open dead letter of a delivery, as soon as the console lists it (`state` another state when asked). */
  const deadLetterOf = (deliveryId: string, state = 'open') => eventually(async () => {
    const letters = await listDeadLetters(`topic=${TOPICS.referral}&state=${state}`);
    return letters.find((l) => l.deliveryId === deliveryId);
  }, `the ${state} dead letter of delivery ${deliveryId} in the console`, 60_000);

  /** A referral whose school delivery the stand-in refused with 422 (`answers` to come), and its open dead letter as the console lists it. */
  async function refusedDelivery(answers: number[] = [422]) {
    await scriptSchool(answers);
    const { referralId, consentId } = await submitWithConsent();
    const [delivery] = await eventually(async () => {
      const taken = await stubDeliveries(referralId);
      return taken.length > 0 ? taken : undefined;
    }, 'the refused attempt at the stand-in school', 60_000);
    const deliveryId = delivery!.idempotencyKey;
    return { referralId, consentId, deliveryId, letter: await deadLetterOf(deliveryId) };
  }

  return { fixtures, submitWithConsent, stubDeliveries, listDeadLetters, scriptSchool, deadLetterOf, refusedDelivery };
}
