import type { Bus } from '@polku/bus';
import type { ReferralForwardedV1, ReferralRoutedV1, ReferralSubmittedV1 } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import { startProjection, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';

export const REFERRAL_ROUTES_PROJECTION = 'consent-referral-routes';
export const REFERRAL_ROUTES_TABLES = ['consent_referral_subjects', 'consent_referral_routes'] as const;

/**
 * Which services a subject's referrals were routed to: what decides whether a professional may
 * look up the subject's consents (only about subjects of referrals routed to their service).
 */
export interface ReferralRoutes {
  /** Of `services`, those to which a referral about the subject was routed (lead, co-worker, taken over). */
  routedServices(subjectRef: string, services: readonly string[]): Promise<string[]>;
}

export function sqlReferralRoutes(db: Sql): ReferralRoutes {
  return {
    async routedServices(subjectRef, services) {
      if (services.length === 0) return [];
      const { rows } = await db.query<{ service_id: string }>(
        `SELECT DISTINCT r.service_id FROM consent_referral_routes r JOIN consent_referral_subjects s USING (referral_id)
         WHERE s.subject_ref = $1 AND r.service_id = ANY($2::text[]) ORDER BY r.service_id`,
        [subjectRef, [...services]],
      );
      return rows.map((r) => r.service_id);
    },
  };
}

async function addRoutes(tx: Sql, referralId: string, serviceIds: readonly (string | undefined)[]): Promise<void> {
  for (const serviceId of serviceIds) {
    if (serviceId === undefined) continue;
    await tx.query('INSERT INTO consent_referral_routes (referral_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [referralId, serviceId]);
  }
}

export interface ReferralRoutesOptions {
  db: Database;
  bus: Bus;
  /** TOPICS.referral, or a test's own. */
  topic: string;
  logger: Logger;
  /** @defaultValue consent-referral-routes */
  name?: string;
}

/** The projection of the referral topic into the two tables above; rebuilds itself from the topic. */
export function startReferralRoutesProjection(options: ReferralRoutesOptions): Promise<RunningProjection> {
  const { topic, name = REFERRAL_ROUTES_PROJECTION, ...runtime } = options;
  return startProjection({
    ...runtime,
    spec: {
      name,
      topics: [topic],
      tables: REFERRAL_ROUTES_TABLES,
      async apply(tx, event) {
        switch (event.type) {
          case 'fi.polku.referral.submitted.v1': {
            const data = event.data as unknown as ReferralSubmittedV1;
            if (data.subjectRef === undefined) return;
            await tx.query('INSERT INTO consent_referral_subjects (referral_id, subject_ref) VALUES ($1, $2) ON CONFLICT DO NOTHING', [data.referralId, data.subjectRef]);
            return;
          }
          case 'fi.polku.referral.routed.v1': {
            const data = event.data as unknown as ReferralRoutedV1;
            return addRoutes(tx, data.referralId, [data.lead.serviceId, ...data.coWorkers.map((c) => c.serviceId)]);
          }
          case 'fi.polku.referral.forwarded.v1': {
            const data = event.data as unknown as ReferralForwardedV1;
            return addRoutes(tx, data.referralId, [data.to.serviceId]);
          }
          default:
            return;
        }
      },
    },
  });
}
