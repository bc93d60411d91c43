import type { AuditReason } from './operator-audit';

/** Why an operator acts: a code, because free text could carry anything onto a topic (principle: no free text on Kafka). */
export const REASON_CODES = ['cause-fixed', 'dependency-recovered', 'poison-record', 'key-compromised', 'key-unused', 'mistake', 'drill', 'other'] as const satisfies readonly AuditReason['code'][];

/**
 * The body fields every auditable route takes: `reason` (required, a code) and `ticket` (optional,
 * the incident it belongs to). A body without `reason` is refused 400 naming the field.
 */
export const reasonBodySchema = {
  reason: { type: 'string', enum: REASON_CODES, description: 'Why: cause-fixed, dependency-recovered, poison-record, key-compromised, key-unused, mistake, drill or other.' },
  ticket: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$', description: 'The incident or ticket reference (letters, digits, _ . : -).' },
} as const;
