import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import type { CloudEvent } from './cloud-event';
import { readSchemaFiles, SCHEMAS_DIR } from './schema-files';
import { toIssue, type ValidationIssue } from './validation-issue';

export type ValidationResult = { ok: true; event: CloudEvent } | { ok: false; errors: ValidationIssue[] };

const ENVELOPE_ID = 'https://schemas.polku.fi/envelope/cloudevent.v1.json';

interface Contracts {
  envelope(): ValidateFunction;
  /** The `$id` of the data schema of each event type. */
  schemaIdByType: ReadonlyMap<string, string>;
  dataValidator(schemaId: string): ValidateFunction;
}

/**
 * Reads every schema in `dir` and compiles each the first time an event needs it (ajv keeps it).
 * Compiling all of them up front cost every service about a second of CPU at start, most of it
 * wasted on types the service never sees, and a dozen services start together on two cores.
 * A schema that does not compile still never ships: the contract tests compile every one.
 * Exported for tests that need a different schemas folder.
 */
export function loadContracts(dir: string = SCHEMAS_DIR): Contracts {
  const ajv = createAjv();
  const files = readSchemaFiles(dir);
  // Add all first so cross-file $refs resolve regardless of order.
  for (const file of files) ajv.addSchema(file.schema);
  if (!files.some((file) => file.schema.$id === ENVELOPE_ID)) throw new Error(`envelope schema ${ENVELOPE_ID} not found in ${dir}`);
  const schemaIdByType = new Map<string, string>();
  for (const file of files) if (file.eventType) schemaIdByType.set(file.eventType, file.schema.$id);
  const compiled = (schemaId: string): ValidateFunction => {
    const validate = ajv.getSchema(schemaId);
    if (!validate) throw new Error(`schema ${schemaId} did not compile`);
    return validate;
  };
  return { envelope: () => compiled(ENVELOPE_ID), schemaIdByType, dataValidator: compiled };
}

const contracts = loadContracts();

/** Every event type with a schema, sorted. */
export function knownEventTypes(): string[] {
  return [...contracts.schemaIdByType.keys()].sort();
}

/** The `$id` of the data schema for `type`, or undefined for an unknown type. */
export function dataSchemaIdOf(type: string): string | undefined {
  return contracts.schemaIdByType.get(type);
}

/**
 * Checks the envelope first, then `data` against the schema for `type`. Envelope errors stop there:
 * without a trustworthy type there is no data schema to check against.
 */
export function validateEvent(candidate: unknown): ValidationResult {
  const envelope = contracts.envelope();
  if (!envelope(candidate)) {
    return { ok: false, errors: (envelope.errors ?? []).map((error) => toIssue(error)) };
  }
  const event = candidate as CloudEvent;
  const schemaId = contracts.schemaIdByType.get(event.type);
  if (!schemaId) return { ok: false, errors: [{ path: '/type', message: 'unknown event type: no schema is registered for it' }] };
  const errors: ValidationIssue[] = [];
  if (event.dataschema !== schemaId) {
    errors.push({ path: '/dataschema', message: `must equal the $id of the schema for this type (${schemaId})` });
  }
  const validateData = contracts.dataValidator(schemaId);
  if (!validateData(event.data)) {
    errors.push(...(validateData.errors ?? []).map((error) => toIssue(error, '/data')));
  }
  return errors.length === 0 ? { ok: true, event } : { ok: false, errors };
}
