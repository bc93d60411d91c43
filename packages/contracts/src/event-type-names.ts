/** Naming rules tying a schema file, its `$id` and its event type together, so none of them is typed twice. */

export const SCHEMA_ID_BASE = 'https://schemas.polku.fi/';

const EVENT_TYPE = /^fi\.polku\.([a-z-]+)\.([a-z-]+)\.v([0-9]+)$/;
const SCHEMA_FILE = /^([a-z-]+)\/\1\.([a-z-]+)\.v([0-9]+)\.json$/;

export interface EventTypeParts {
  entity: string;
  verb: string;
  version: number;
}

export function parseEventType(type: string): EventTypeParts | undefined {
  const match = EVENT_TYPE.exec(type);
  if (!match) return undefined;
  return { entity: match[1]!, verb: match[2]!, version: Number(match[3]) };
}

/** `fi.polku.referral.submitted.v1` → `https://schemas.polku.fi/referral/referral.submitted.v1.json` */
export function schemaIdForType(type: string): string | undefined {
  const parts = parseEventType(type);
  if (!parts) return undefined;
  return `${SCHEMA_ID_BASE}${schemaPathFor(parts)}`;
}

/** Path relative to schemas/, e.g. `referral/referral.submitted.v1.json`. */
export function schemaPathFor({ entity, verb, version }: EventTypeParts): string {
  return `${entity}/${entity}.${verb}.v${version}.json`;
}

/** `referral/referral.submitted.v1.json` → `fi.polku.referral.submitted.v1`; undefined for non-event schemas (common, envelope). */
export function eventTypeForSchemaPath(relativePath: string): string | undefined {
  const match = SCHEMA_FILE.exec(relativePath.split('\\').join('/'));
  if (!match) return undefined;
  if (match[1] === 'common' || match[1] === 'envelope') return undefined;
  return `fi.polku.${match[1]}.${match[2]}.v${match[3]}`;
}
