import { parseEventType, type CloudEvent, type EventDataByType, type Party } from '@polku/contracts';
import { LIFECYCLE_VERBS, TIMER_VERBS, type LifecycleVerb, type StatusRecord, type TimelineEntry, type TimelineVerb } from './status-record';

type Data<V extends string> = EventDataByType[`fi.polku.referral.${V}.v1` & keyof EventDataByType];

/**
 * Folds one referral event into the status record. Events of one referral arrive in order
 * (one partition), so the latest lifecycle verb is the state. An event already in the timeline
 * is ignored, so a redelivery that slipped past the consumer's dedupe changes nothing.
 * Returns the record unchanged for events that are not referral lifecycle or timer events.
 */
export function applyEvent(record: StatusRecord | undefined, event: CloudEvent): StatusRecord | undefined {
  const verb = referralVerb(event.type);
  if (!verb) return record;
  if (record?.timeline.some((entry) => entry.eventId === event.id)) return record;
  const next: StatusRecord = record
    ? { ...record, readers: [...record.readers], timeline: [...record.timeline] }
    : { referralId: event.subject, state: 'submitted', readers: [], timeline: [] };
  const entry: TimelineEntry = { at: event.time, type: verb, eventId: event.id, ...factsOf(verb, event.data, next) };
  next.timeline.push(entry);
  if (isLifecycle(verb)) next.state = verb;
  return next;
}

function referralVerb(type: string): TimelineVerb | undefined {
  const parts = parseEventType(type);
  if (parts?.entity !== 'referral') return undefined;
  const known: readonly string[] = [...LIFECYCLE_VERBS, ...TIMER_VERBS];
  return known.includes(parts.verb) ? (parts.verb as TimelineVerb) : undefined;
}

function isLifecycle(verb: TimelineVerb): verb is LifecycleVerb {
  return (LIFECYCLE_VERBS as readonly string[]).includes(verb);
}

/** The facts a timeline entry keeps, and what the event changes in the record around it. */
function factsOf(verb: TimelineVerb, data: unknown, record: StatusRecord): Partial<TimelineEntry> {
  switch (verb) {
    case 'submitted': {
      const d = data as Data<'submitted'>;
      record.submitterOrganisationId = d.submitter.organisationId;
      record.submittedAt = d.submittedAt;
      record.submitterRole = d.submitter.role;
      record.legalBasis = d.legalBasis;
      record.needCodes = [...d.needCodes];
      record.urgency = d.urgency;
      if (d.subjectRef !== undefined) record.subjectRef = d.subjectRef;
      return {};
    }
    case 'routed': {
      const d = data as Data<'routed'>;
      record.lead = d.lead;
      addReaders(record, d.lead, ...d.coWorkers);
      return { lead: d.lead, coWorkers: d.coWorkers, ruleId: d.ruleId, viaCoordinator: d.viaCoordinator };
    }
    case 'forwarded': {
      const d = data as Data<'forwarded'>;
      record.lead = d.to;
      addReaders(record, d.to);
      return { from: d.from, to: d.to };
    }
    case 'delivered':
      return deliveredFacts(data as Data<'delivered'>, record);
    case 'awaiting-consent':
      return { recipient: (data as Data<'awaiting-consent'>).recipient };
    case 'accepted':
      return { by: (data as Data<'accepted'>).by };
    case 'declined': {
      const d = data as Data<'declined'>;
      return { by: d.by, reasonCode: d.reasonCode };
    }
    case 'contact-made': {
      const d = data as Data<'contact-made'>;
      return { by: d.by, channel: d.channel };
    }
    case 'closed': {
      const d = data as Data<'closed'>;
      return { by: d.closedBy, reasonCode: d.reason };
    }
    case 'cancelled':
      return { reasonCode: (data as Data<'cancelled'>).reasonCode };
    case 'sla-breached': {
      const d = data as Data<'sla-breached'>;
      return { sla: d.sla, by: d.responsible, dueAt: d.dueAt };
    }
    case 'follow-up-due': {
      const d = data as Data<'follow-up-due'>;
      return { lead: d.lead, dueAt: d.dueAt };
    }
  }
}

/**
 * `attempts` is read when the event carries it; otherwise it comes from `delivery.succeeded`
 * on the delivery topic, joined by deliveryId when the status is read (domain/status-view.ts).
 */
function deliveredFacts(d: Data<'delivered'>, record: StatusRecord): Partial<TimelineEntry> {
  addReaders(record, d.recipient);
  const facts: Partial<TimelineEntry> = { recipient: d.recipient, deliveryId: d.deliveryId };
  const attempts = (d as { attempts?: unknown }).attempts;
  return typeof attempts === 'number' ? { ...facts, attempts } : facts;
}

function addReaders(record: StatusRecord, ...parties: Party[]): void {
  for (const { organisationId } of parties) if (!record.readers.includes(organisationId)) record.readers.push(organisationId);
}
