import { describe, expect, it } from 'vitest';
import { findBreaks } from './find-breaks';

const party = {
  $id: 'https://schemas.polku.fi/x/x.y.v1.json',
  type: 'object',
  properties: {
    organisationId: { type: 'string', pattern: '^[a-z-]+$', maxLength: 64 },
    sector: { type: 'string', enum: ['education', 'ngo'] },
    attempts: { type: 'number', minimum: 1 },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, maxItems: 5 },
    basis: { oneOf: [{ $ref: '#/$defs/consent' }, { $ref: '#/$defs/statute' }] },
  },
  required: ['organisationId'],
  additionalProperties: false,
  $defs: { consent: { type: 'string' }, statute: { type: 'string', const: 'lsl-25' } },
};

type Schema = typeof party & Record<string, unknown>;

/** A deep copy of the base schema with `change` applied. */
function edit(change: (schema: Schema) => void): Schema {
  const copy = structuredClone(party) as Schema;
  change(copy);
  return copy;
}

const rules = (after: unknown) => findBreaks(party, after).map((found) => `${found.rule} ${found.path}`);

describe('findBreaks catches', () => {
  it.each([
    ['required-added', (s: Schema) => s.required.push('sector'), 'required-added /properties/sector'],
    ['required-added (new property)', (s: Schema) => {
      Object.assign(s.properties, { foo: { type: 'string' } });
      s.required.push('foo');
    }, 'required-added /properties/foo'],
    ['property-removed', (s: Schema) => delete (s.properties as Partial<Schema['properties']>).sector, 'property-removed /properties/sector'],
    ['type-narrowed', (s: Schema) => (s.properties.sector.type = 'integer'), 'type-narrowed /properties/sector'],
    ['type-narrowed (number to integer)', (s: Schema) => (s.properties.attempts.type = 'integer'), 'type-narrowed /properties/attempts'],
    ['enum-narrowed', (s: Schema) => (s.properties.sector.enum = ['education']), 'enum-narrowed /properties/sector'],
    ['enum-narrowed in items', (s: Schema) => (s.properties.tags.items.enum = ['a']), 'enum-narrowed /properties/tags/items'],
    ['enum-narrowed (const changed)', (s: Schema) => (s.$defs.statute.const = 'shl-35'), 'enum-narrowed /$defs/statute'],
    ['model-opened', (s: Schema) => delete (s as Partial<Schema>).additionalProperties, 'model-opened '],
    ['id-changed', (s: Schema) => (s.$id = 'https://schemas.polku.fi/x/x.z.v1.json'), 'id-changed /$id'],
    ['constraint-narrowed (maxLength)', (s: Schema) => (s.properties.organisationId.maxLength = 32), 'constraint-narrowed /properties/organisationId/maxLength'],
    ['constraint-narrowed (minimum)', (s: Schema) => (s.properties.attempts.minimum = 2), 'constraint-narrowed /properties/attempts/minimum'],
    ['constraint-narrowed (pattern)', (s: Schema) => (s.properties.organisationId.pattern = '^[a-z]+$'), 'constraint-narrowed /properties/organisationId/pattern'],
    ['constraint-narrowed (format added)', (s: Schema) => Object.assign(s.properties.organisationId, { format: 'uuid' }), 'constraint-narrowed /properties/organisationId/format'],
    ['ref-changed', (s: Schema) => (s.properties.basis.oneOf[0]!.$ref = '#/$defs/statute'), 'ref-changed /properties/basis/oneOf/0/$ref'],
    ['alternative-removed', (s: Schema) => s.properties.basis.oneOf.pop(), 'alternative-removed /properties/basis/oneOf'],
    ['def-removed', (s: Schema) => delete (s.$defs as Partial<Schema['$defs']>).consent, 'def-removed /$defs/consent'],
  ])('%s', (_name, change, expected) => {
    expect(rules(edit(change))).toContain(expected);
  });
});

describe('findBreaks lets through', () => {
  it.each([
    ['an unchanged schema', () => {}],
    ['an optional property added', (s: Schema) => Object.assign(s.properties, { note: { type: 'string', maxLength: 10 } })],
    ['a required property made optional', (s: Schema) => s.required.pop()],
    ['a type widened', (s: Schema) => Object.assign(s.properties.sector, { type: ['string', 'null'] })],
    ['integer to number', (s: Schema) => {
      s.properties.attempts.type = 'number';
    }],
    ['an enum widened', (s: Schema) => s.properties.sector.enum.push('parish')],
    ['a const turned into an enum that keeps it', (s: Schema) => {
      delete (s.$defs.statute as { const?: string }).const;
      Object.assign(s.$defs.statute, { enum: ['lsl-25', 'shl-35'] });
    }],
    ['a bound relaxed', (s: Schema) => {
      s.properties.organisationId.maxLength = 128;
      s.properties.attempts.minimum = 0;
      s.properties.tags.maxItems = 10;
    }],
    ['a pattern removed', (s: Schema) => delete (s.properties.organisationId as { pattern?: string }).pattern],
    ['an alternative added', (s: Schema) => s.properties.basis.oneOf.push({ $ref: '#/$defs/consent' })],
    ['a description changed', (s: Schema) => Object.assign(s.properties.sector, { description: 'Sector.' })],
    ['a definition added', (s: Schema) => Object.assign(s.$defs, { extra: { type: 'string' } })],
  ])('%s', (_name, change) => {
    expect(rules(edit(change))).toEqual([]);
  });
});
