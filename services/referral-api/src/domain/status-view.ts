import type { StatusRecord, TimelineEntry } from './status-record';

/** Attempts per delivery id, from `delivery.succeeded`. */
export type DeliveryAttempts = Readonly<Record<string, number>>;

export interface StatusView {
  id: string;
  state: StatusRecord['state'];
  submittedAt: string | undefined;
  lead: StatusRecord['lead'];
  timeline: TimelineEntry[];
}

/**
 * What `GET /v1/referrals/:id` answers. Delivery attempts are joined here rather than in the
 * projection: they arrive on another topic, in either order relative to `delivered`, and
 * keeping them apart means neither consumer ever rewrites what the other wrote.
 */
export function statusView(record: StatusRecord, attempts: DeliveryAttempts): StatusView {
  return {
    id: record.referralId,
    state: record.state,
    submittedAt: record.submittedAt ?? record.timeline[0]?.at,
    lead: record.lead,
    timeline: record.timeline.map((entry) => {
      const counted = entry.deliveryId === undefined ? undefined : attempts[entry.deliveryId];
      return counted === undefined || entry.attempts !== undefined ? entry : { ...entry, attempts: counted };
    }),
  };
}
