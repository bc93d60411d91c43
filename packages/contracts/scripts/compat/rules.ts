/**
 * Backward-compatibility rules: each looks at one pair of schema nodes (the same location in
 * the old and the new schema) and says how the new one would reject data the old one accepted,
 * or otherwise break readers. The walker in find-breaks.ts applies them at every location.
 */

export type SchemaNode = Record<string, unknown>;

export interface Break {
  rule: string;
  /** JSON pointer into the schema, e.g. `/properties/needCodes/items`. */
  path: string;
}

export type Rule = (before: SchemaNode, after: SchemaNode, path: string) => Break[];

export function pointer(path: string, ...segments: (string | number)[]): string {
  return path + segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function keys(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : [];
}

/** A property that becomes required rejects old data that left it out. */
export const requiredAdded: Rule = (before, after, path) => {
  const old = new Set(strings(before['required']));
  return strings(after['required'])
    .filter((name) => !old.has(name))
    .map((name) => ({ rule: 'required-added', path: pointer(path, 'properties', name) }));
};

/** A removed property is rejected by a closed model, and is gone for every reader either way. */
export const propertyRemoved: Rule = (before, after, path) => {
  const now = new Set(keys(after['properties']));
  return keys(before['properties'])
    .filter((name) => !now.has(name))
    .map((name) => ({ rule: 'property-removed', path: pointer(path, 'properties', name) }));
};

/** A removed shared definition breaks every schema that refers to it. */
export const defRemoved: Rule = (before, after, path) => {
  const now = new Set(keys(after['$defs']));
  return keys(before['$defs'])
    .filter((name) => !now.has(name))
    .map((name) => ({ rule: 'def-removed', path: pointer(path, '$defs', name) }));
};

const UNTYPED_BUT_CONSTRAINED = ['$ref', 'enum', 'const', 'oneOf', 'anyOf', 'allOf'];

function types(node: SchemaNode): string[] | undefined {
  const type = node['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? strings(type) : undefined;
}

/** The type set lost a member. `number` → `integer` is a loss; `integer` → `number` is not. */
export const typeNarrowed: Rule = (before, after, path) => {
  const old = types(before);
  const now = types(after);
  if (!now) return [];
  // No type before means any type was allowed, unless something else (a ref, enum, const,
  // alternatives) already pinned it down; those have their own rules.
  if (!old) return UNTYPED_BUT_CONSTRAINED.some((key) => key in before) ? [] : [{ rule: 'type-narrowed', path }];
  const lost = old.filter((type) => !now.includes(type) && !(type === 'integer' && now.includes('number')));
  return lost.length > 0 ? [{ rule: 'type-narrowed', path }] : [];
};

function allowedValues(node: SchemaNode): unknown[] | undefined {
  if ('const' in node) return [node['const']];
  return Array.isArray(node['enum']) ? node['enum'] : undefined;
}

/** An enum or const lost a value (or appeared where any value was allowed). */
export const enumNarrowed: Rule = (before, after, path) => {
  const now = allowedValues(after);
  if (!now) return [];
  const old = allowedValues(before);
  const nowKeys = new Set(now.map((value) => JSON.stringify(value)));
  const lost = old === undefined || old.some((value) => !nowKeys.has(JSON.stringify(value)));
  return lost ? [{ rule: 'enum-narrowed', path }] : [];
};

/** A closed model opened: producers may now send fields that consumers built on the closed model reject or mishandle. */
export const modelOpened: Rule = (before, after, path) =>
  before['additionalProperties'] === false && after['additionalProperties'] !== false ? [{ rule: 'model-opened', path }] : [];

/** The schema's identity moved: `dataschema` in every stored event points at the old one. */
export const idChanged: Rule = (before, after, path) =>
  before['$id'] !== undefined && before['$id'] !== after['$id'] ? [{ rule: 'id-changed', path: pointer(path, '$id') }] : [];

/** A `$ref` now points elsewhere (or was replaced): the target may accept less. */
export const refChanged: Rule = (before, after, path) =>
  before['$ref'] !== after['$ref'] && (before['$ref'] !== undefined || after['$ref'] !== undefined)
    ? [{ rule: 'ref-changed', path: pointer(path, '$ref') }]
    : [];

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Any change (including appearing) of these may reject old values; only removing them is safe. */
const EXACT = ['pattern', 'format', 'multipleOf'];

/** A bound tightened, or a pattern/format/multipleOf added or changed. */
export const constraintNarrowed: Rule = (before, after, path) => {
  const found: Break[] = [];
  const flag = (keyword: string) => found.push({ rule: 'constraint-narrowed', path: pointer(path, keyword) });
  for (const keyword of LOWER_BOUNDS) {
    const now = after[keyword];
    if (typeof now === 'number' && !(typeof before[keyword] === 'number' && now <= (before[keyword] as number))) flag(keyword);
  }
  for (const keyword of UPPER_BOUNDS) {
    const now = after[keyword];
    if (typeof now === 'number' && !(typeof before[keyword] === 'number' && now >= (before[keyword] as number))) flag(keyword);
  }
  for (const keyword of EXACT) {
    if (after[keyword] !== undefined && after[keyword] !== before[keyword]) flag(keyword);
  }
  if (after['uniqueItems'] === true && before['uniqueItems'] !== true) flag('uniqueItems');
  return found;
};

/** Fewer oneOf/anyOf alternatives: data that matched a removed one is rejected. */
export const alternativeRemoved: Rule = (before, after, path) =>
  ['oneOf', 'anyOf'].flatMap((keyword) => {
    const old = Array.isArray(before[keyword]) ? (before[keyword] as unknown[]).length : 0;
    const now = Array.isArray(after[keyword]) ? (after[keyword] as unknown[]).length : 0;
    return old > 0 && now < old ? [{ rule: 'alternative-removed', path: pointer(path, keyword) }] : [];
  });

export const RULES: readonly Rule[] = [
  requiredAdded,
  propertyRemoved,
  defRemoved,
  typeNarrowed,
  enumNarrowed,
  modelOpened,
  idChanged,
  refChanged,
  constraintNarrowed,
  alternativeRemoved,
];
