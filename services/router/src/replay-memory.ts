import type { CloudEvent, ReferralAwaitingConsentV1, ReferralRoutedV1, ReferralSubmittedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { partyKey } from './consent-gate';
import { asTyped } from './handlers/causing-event';
import { CONSENT_GRANTED_RULE } from './handlers/consent-routing';
import { attributesOf } from './referral-record';

/**
 * The memory rebuilt from the referral topic, without acting: what the router decided is on the
 * topic already, as its own events. A replayed `submitted` gives a referral's attributes; the
 * router's own `routed` its plan (the holder, co-workers, `viaCoordinator`); its own
 * `awaiting-consent` a waiting recipient. A resume (`routed` with `ruleId: consent-granted`) names
 * again every recipient still waiting right after it, so it first forgets the waiting ones. This is
 * the same fold the handlers wrote live, which is why a rebuild ends with the same memory without
 * asking the consent service again, announcing anything again or setting a timer again.
 *
 * Only rows marked `replayed` take the router's own events: a row some handling has acted on since
 * is already ahead of them (its own events come back from the topic after it wrote the row).
 */
export async function replaySubmitted(sql: Sql, event: CloudEvent): Promise<void> {
  const submitted = asTyped<ReferralSubmittedV1>(event);
  const attributes = attributesOf(submitted.data, submitted.correlationid ?? submitted.id);
  // Not routed until its routed event comes: a submitted that was never routed (dead-lettered) stays unknown, as it was.
  await sql.query(
    `INSERT INTO router_referrals (referral_id, record, routed, replayed) VALUES ($1, $2, false, true)
     ON CONFLICT (referral_id) DO UPDATE SET record = EXCLUDED.record, routed = false, updated_at = now() WHERE router_referrals.replayed`,
    [attributes.referralId, JSON.stringify(attributes)],
  );
}

/** The router's own event, taken into a replayed row; anything but `routed` and `awaiting-consent` changes nothing. */
export async function replayOwnEvent(sql: Sql, event: CloudEvent): Promise<void> {
  if (event.type === 'fi.polku.referral.routed.v1') {
    const { referralId, lead, coWorkers, viaCoordinator, ruleId } = asTyped<ReferralRoutedV1>(event).data;
    if (ruleId === CONSENT_GRANTED_RULE) {
      await sql.query('DELETE FROM router_waiting w USING router_referrals r WHERE w.referral_id = $1 AND r.referral_id = w.referral_id AND r.replayed', [referralId]);
    }
    await sql.query(
      `UPDATE router_referrals SET record = record || jsonb_build_object('lead', $2::jsonb, 'coWorkers', $3::jsonb, 'viaCoordinator', $4::boolean), routed = true, updated_at = now()
       WHERE referral_id = $1 AND replayed`,
      [referralId, JSON.stringify(lead), JSON.stringify(coWorkers), viaCoordinator],
    );
  } else if (event.type === 'fi.polku.referral.awaiting-consent.v1') {
    const { referralId, recipient } = asTyped<ReferralAwaitingConsentV1>(event).data;
    // A referral without a subject reference can never be covered: it is not indexed (as live).
    await sql.query(
      `INSERT INTO router_waiting (referral_id, party_key, party, subject_ref)
       SELECT referral_id, $2, $3, record ->> 'subjectRef' FROM router_referrals WHERE referral_id = $1 AND replayed AND record ->> 'subjectRef' IS NOT NULL
       ON CONFLICT (referral_id, party_key) DO UPDATE SET party = EXCLUDED.party`,
      [referralId, partyKey(recipient), JSON.stringify(recipient)],
    );
  }
}
