import type { CloudEvent } from '@polku/contracts';

/** Where a record sits on the log. */
export interface LogPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * What the console keeps of one event: ids, its place on the log, and the codes it carries.
 * Never a whole payload: every field is picked by name (`codesOf`), so a field added to a schema
 * later stays out until someone decides the trace needs it.
 */
export interface EventRow {
  eventId: string;
  type: string;
  position: LogPosition;
  time: string;
  referralId: string | null;
  consentId: string | null;
  /** The pseudonymous subject: links a referral to its consents and disclosures; never shown to an operator. */
  subjectRef: string | null;
  correlationId: string | null;
  causationId: string | null;
  deliveryId: string | null;
  codes: Record<string, unknown>;
  /** A disclosure-log entry's ids and codes, for auditors. */
  disclosure: Record<string, unknown> | null;
}

type Data = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The verb of `fi.polku.<entity>.<verb>.v<N>`, and its entity. */
export function typeParts(type: string): { entity: string; verb: string } {
  const parts = type.split('.');
  return { entity: parts[2] ?? '', verb: parts[3] ?? '' };
}

/** A party as codes: organisation, service, sector (never a person). */
function party(value: unknown): Data | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Data;
  return pick(p, ['organisationId', 'serviceId', 'sector', 'systemId']);
}

function pick(source: Data, keys: readonly string[]): Data {
  const out: Data = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function defined(value: Data): Data {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** The codes of a referral event, by verb. */
function referralCodes(verb: string, d: Data): Data {
  switch (verb) {
    case 'submitted':
      return pick(d, ['needCodes', 'urgency', 'municipalityCode', 'ageBand', 'language', 'legalBasis', 'submittedAt']);
    case 'routed':
      return defined({ ruleId: d.ruleId, lead: party(d.lead), coWorkers: Array.isArray(d.coWorkers) ? d.coWorkers.map(party) : undefined, viaCoordinator: d.viaCoordinator, routedAt: d.routedAt });
    case 'awaiting-consent':
      return defined({ recipient: party(d.recipient), dataCategories: d.dataCategories, purpose: d.purpose, requestedAt: d.requestedAt });
    case 'delivered':
      return defined({ adapterId: d.adapterId, recipient: party(d.recipient), deliveredAt: d.deliveredAt });
    case 'accepted':
      return defined({ by: party(d.by), contactDueBy: d.contactDueBy, acceptedAt: d.acceptedAt });
    case 'declined':
      return defined({ by: party(d.by), reasonCode: d.reasonCode, declinedAt: d.declinedAt });
    case 'contact-made':
      return defined({ by: party(d.by), channel: d.channel, madeAt: d.madeAt });
    case 'forwarded':
      return defined({ from: party(d.from), to: party(d.to), forwardedAt: d.forwardedAt });
    case 'closed':
      return defined({ reason: d.reason, closedBy: party(d.closedBy), followUpDueAt: d.followUpDueAt, closedAt: d.closedAt });
    case 'cancelled':
      return pick(d, ['reasonCode', 'cancelledAt']);
    case 'sla-breached':
      return defined({ sla: d.sla, responsible: party(d.responsible), dueAt: d.dueAt, detectedAt: d.detectedAt });
    case 'follow-up-due':
      return defined({ lead: party(d.lead), dueAt: d.dueAt });
    default:
      return {};
  }
}

/** A consent change as codes: what it allows or bans, to whom, until when; not who granted it. */
function consentCodes(verb: string, d: Data): Data {
  return defined({
    change: verb,
    kind: d.kind,
    status: d.status,
    grantorRole: (d.grantor as Data | undefined)?.role,
    minorDecidesPersonally: d.minorDecidesPersonally,
    dataCategories: d.dataCategories,
    purposes: d.purposes,
    recipients: Array.isArray(d.recipients) ? d.recipients.map(party) : undefined,
    disclosers: Array.isArray(d.disclosers) ? d.disclosers.map(party) : undefined,
    legalFramework: d.legalFramework,
    validFrom: d.validFrom,
    validUntil: d.validUntil,
    changedAt: d.changedAt,
  });
}

function deliveryCodes(verb: string, d: Data): Data {
  const lastError = d.lastError as Data | undefined;
  return defined({
    outcome: verb,
    adapterId: d.adapterId,
    recipient: party(d.recipient),
    attempts: d.attempts,
    errorCode: lastError?.code,
    externalHttpStatus: lastError?.httpStatus,
    retryable: lastError?.retryable,
    at: d.succeededAt ?? d.failedAt,
  });
}

/** Released or refused, the categories and the basis as codes; the recipient as organisation and system. */
function disclosureCodes(verb: string, d: Data): Data {
  const basis = d.basis as Data | undefined;
  const outcome = verb === 'disclosed' ? 'released' : verb === 'refused' ? 'refused' : verb;
  return defined({
    outcome,
    dataCategories: d.dataCategories,
    basis: basis ? defined({ kind: basis.kind, statute: basis.statute }) : undefined,
    purpose: d.purpose,
    reasonCode: d.reasonCode,
    recipient: d.recipient ? pick(d.recipient as Data, ['organisationId', 'systemId']) : undefined,
    ground: d.ground,
    at: d.at,
  });
}

/** What an auditor sees of a disclosure-log entry besides its codes: the ids a log entry names. */
function disclosureEntry(d: Data, event: CloudEvent): Data {
  return defined({
    disclosureId: d.disclosureId,
    subjectRef: d.subjectRef,
    recipient: d.recipient,
    viewer: d.viewer,
    basis: d.basis,
    fields: d.fields,
    shown: d.shown,
    withheld: d.withheld,
    legalbasis: (event as unknown as Data).legalbasis,
    consentid: (event as unknown as Data).consentid,
  });
}

/** The row the console keeps of an event read at `position`. */
export function eventRow(event: CloudEvent, position: LogPosition): EventRow {
  const d = (event.data ?? {}) as Data;
  const { entity, verb } = typeParts(event.type);
  const base = {
    eventId: event.id,
    type: event.type,
    position,
    time: event.time,
    correlationId: stringOrNull(event.correlationid),
    causationId: stringOrNull(event.causationid),
    deliveryId: uuidOrNull(d.deliveryId),
    referralId: uuidOrNull(d.referralId),
    consentId: null as string | null,
    subjectRef: null as string | null,
    disclosure: null as Record<string, unknown> | null,
  };
  switch (entity) {
    case 'referral':
      return { ...base, referralId: uuidOrNull(d.referralId) ?? uuidOrNull(event.subject), subjectRef: stringOrNull(d.subjectRef), codes: referralCodes(verb, d) };
    case 'consent':
      return { ...base, consentId: uuidOrNull(d.consentId) ?? uuidOrNull(event.subject), subjectRef: stringOrNull(d.subjectRef), codes: consentCodes(verb, d) };
    case 'delivery':
      return { ...base, codes: deliveryCodes(verb, d) };
    case 'disclosure': {
      const basis = d.basis as Data | undefined;
      return {
        ...base,
        consentId: uuidOrNull(basis?.consentId),
        subjectRef: stringOrNull(d.subjectRef),
        codes: disclosureCodes(verb, d),
        disclosure: disclosureEntry(d, event),
      };
    }
    default:
      return { ...base, codes: {} };
  }
}
