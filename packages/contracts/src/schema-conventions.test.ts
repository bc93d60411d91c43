import { describe, expect, it } from 'vitest';
import { eventTypeForSchemaPath, schemaIdForType } from './event-type-names';
import { readExampleFiles, readSchemaFiles } from './schema-files';

const schemas = readSchemaFiles();
const examples = readExampleFiles();

/**
 * Property names that would mean personal data on a topic (DESIGN principle 2). Matched
 * case-insensitively against every property name in every schema; references (subjectRef,
 * professionalRef, userRef) are the allowed way to point at a person.
 */
const PERSONAL = /^(identitycode|hetu|ssn|personalid|(first|last|full|given|family)?name|email|phone|address|street|postalcode|birthdate|dateofbirth|description|freetext|text|notes?|comment|message)$/i;

/** Every object schema in `node`, with its JSON pointer. */
function objects(node: unknown, path = ''): { path: string; schema: Record<string, unknown> }[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((item, index) => objects(item, `${path}/${index}`));
  const schema = node as Record<string, unknown>;
  const own = schema['type'] === 'object' || 'properties' in schema ? [{ path, schema }] : [];
  // Walk subschemas only, not the values of enum/const/required.
  return [
    ...own,
    ...Object.entries(schema)
      .filter(([key]) => !['enum', 'const', 'required', 'examples'].includes(key))
      .flatMap(([key, value]) => objects(value, `${path}/${key}`)),
  ];
}

describe.each(schemas.map((file) => [file.path, file] as const))('%s', (path, file) => {
  it('has an $id that matches its path, a title and a description', () => {
    expect(file.schema.$id).toBe(`https://schemas.polku.fi/${path}`);
    expect(file.schema['title']).toEqual(expect.any(String));
    expect(file.schema['description']).toEqual(expect.any(String));
    if (file.eventType) expect(schemaIdForType(file.eventType)).toBe(file.schema.$id);
  });

  it('closes every object (additionalProperties: false)', () => {
    const open = objects(file.schema).filter(({ schema }) => schema['additionalProperties'] !== false);
    // The envelope's `data` is checked against its own closed schema.
    const allowed = path === 'envelope/cloudevent.v1.json' ? ['/properties/data'] : [];
    expect(open.map((object) => object.path).filter((at) => !allowed.includes(at))).toEqual([]);
  });

  it('names no personal-data property', () => {
    const names = objects(file.schema).flatMap(({ schema }) => Object.keys((schema['properties'] ?? {}) as object));
    expect(names.filter((name) => PERSONAL.test(name))).toEqual([]);
  });

});

const eventSchemas = schemas.filter((file) => file.eventType);

describe.each(eventSchemas.map((file) => [file.path, file] as const))('%s', (path, file) => {
  it('has at least one valid and one invalid example of its type', () => {
    const mine = examples.filter((example) => (example.event as { type?: unknown }).type === file.eventType);
    expect(mine.some((example) => example.expect === 'valid')).toBe(true);
    const prefix = `${path.split('/')[0]}/examples/${path.split('/')[1]!.replace(/\.json$/, '')}.invalid.`;
    expect(examples.some((example) => example.path.startsWith(prefix))).toBe(true);
  });
});

it('derives event types from file names only for event schemas', () => {
  expect(eventTypeForSchemaPath('referral/referral.awaiting-consent.v1.json')).toBe('fi.polku.referral.awaiting-consent.v1');
  expect(eventTypeForSchemaPath('common/common.v1.json')).toBeUndefined();
  expect(eventTypeForSchemaPath('envelope/cloudevent.v1.json')).toBeUndefined();
});
