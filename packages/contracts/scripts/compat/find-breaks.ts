import { pointer, RULES, type Break, type SchemaNode } from './rules';

/** Keywords whose value is a map of name → subschema. */
const MAPS = ['properties', '$defs', 'patternProperties'];
/** Keywords whose value is one subschema. */
const SINGLES = ['items', 'additionalProperties', 'not', 'contains', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is a list of subschemas, compared position by position. */
const LISTS = ['prefixItems', 'oneOf', 'anyOf', 'allOf'];

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every breaking difference between two versions of a schema, applying each rule at every shared location. */
export function findBreaks(before: unknown, after: unknown, path = ''): Break[] {
  if (!isNode(before) || !isNode(after)) return [];
  const found = RULES.flatMap((rule) => rule(before, after, path));
  for (const keyword of MAPS) {
    const old = before[keyword];
    const now = after[keyword];
    if (!isNode(old) || !isNode(now)) continue;
    for (const name of Object.keys(old)) if (name in now) found.push(...findBreaks(old[name], now[name], pointer(path, keyword, name)));
  }
  for (const keyword of SINGLES) found.push(...findBreaks(before[keyword], after[keyword], pointer(path, keyword)));
  for (const keyword of LISTS) {
    const old = before[keyword];
    const now = after[keyword];
    if (!Array.isArray(old) || !Array.isArray(now)) continue;
    const shared = Math.min(old.length, now.length);
    for (let index = 0; index < shared; index++) found.push(...findBreaks(old[index], now[index], pointer(path, keyword, index)));
  }
  return found;
}
