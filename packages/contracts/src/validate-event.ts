import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import type { CloudEvent } from './cloud-event';
import { readSchemaFiles, SCHEMAS_DIR } from './schema-files';
import { toIssue, type ValidationIssue } from './validation-issue';

export type ValidationResult = { ok: true; event: CloudEvent } | { ok: false; errors: ValidationIssue[] };

const ENVELOPE_ID = 'https://schemas.polku.fi/envelope/cloudevent.v1.json';

interface DataContract {
  schemaId: string;
  validate: ValidateFunction;
}

interface Contracts {
  envelope: ValidateFunction;
  byType: ReadonlyMap<string, DataContract>;
}

/** Compiles every schema in `dir` once. Exported for tests that need a different schemas folder. */
export function compileContracts(dir: string = SCHEMAS_DIR): Contracts {
  const ajv = createAjv();
  const files = readSchemaFiles(dir);
  // Add all first so cross-file $refs resolve regardless of order, then compile.
  for (const file of files) ajv.addSchema(file.schema);
  const envelope = ajv.getSchema(ENVELOPE_ID);
  if (!envelope) throw new Error(`envelope schema ${ENVELOPE_ID} not found in ${dir}`);
  const byType = new Map<string, DataContract>();
  for (const file of files) {
    const validate = ajv.getSchema(file.schema.$id);
    if (!validate) throw new Error(`schema ${file.path} did not compile`);
    if (file.eventType) byType.set(file.eventType, { schemaId: file.schema.$id, validate });
  }
  return { envelope, byType };
}

const contracts = compileContracts();

/** Every event type with a schema, sorted. */
export function knownEventTypes(): string[] {
  return [...contracts.byType.keys()].sort();
}

/** The `$id` of the data schema for `type`, or undefined for an unknown type. */
export function dataSchemaIdOf(type: string): string | undefined {
  return contracts.byType.get(type)?.schemaId;
}

/**
 * Checks the envelope first, then `data` against the schema for `type`. Envelope errors stop there:
 * without a trustworthy type there is no data schema to check against.
 */
export function validateEvent(candidate: unknown): ValidationResult {
  if (!contracts.envelope(candidate)) {
    return { ok: false, errors: (contracts.envelope.errors ?? []).map((error) => toIssue(error)) };
  }
  const event = candidate as CloudEvent;
  const contract = contracts.byType.get(event.type);
  if (!contract) return { ok: false, errors: [{ path: '/type', message: 'unknown event type: no schema is registered for it' }] };
  const errors: ValidationIssue[] = [];
  if (event.dataschema !== contract.schemaId) {
    errors.push({ path: '/dataschema', message: `must equal the $id of the schema for this type (${contract.schemaId})` });
  }
  if (!contract.validate(event.data)) {
    errors.push(...(contract.validate.errors ?? []).map((error) => toIssue(error, '/data')));
  }
  return errors.length === 0 ? { ok: true, event } : { ok: false, errors };
}
