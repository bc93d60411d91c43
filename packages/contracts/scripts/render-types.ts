import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { readSchemaFiles, SCHEMAS_DIR, type JsonSchema, type SchemaFile } from '../src/schema-files';

export const BANNER = '// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.';

const COMMON_ID = 'https://schemas.polku.fi/common/common.v1.json';

/**
 * Renders every generated file in memory: file name (relative to src/generated) → content.
 *
 * Refs into common.v1 become named imports instead of being inlined, so each shared type
 * (Party, NeedCode, ...) is declared once in common.v1.ts. json-schema-to-typescript would
 * otherwise re-declare a type in every file and number the copies (Timestamp1, Timestamp2)
 * wherever a $ref carries its own description.
 */
export async function renderTypes(dir: string = SCHEMAS_DIR): Promise<Map<string, string>> {
  const files = readSchemaFiles(dir);
  const common = files.find((file) => file.schema.$id === COMMON_ID);
  if (!common) throw new Error(`${COMMON_ID} not found in ${dir}`);
  const titles = commonTitles(common.schema);
  const out = new Map<string, string>();
  out.set('common.v1.ts', await renderCommon(common.schema, titles));
  const events: { module: string; type: string; name: string }[] = [];
  for (const file of files.filter((candidate) => candidate !== common)) {
    const { module, name, content } = await renderSchema(file, titles);
    out.set(`${module}.ts`, content);
    if (file.eventType) events.push({ module, type: file.eventType, name });
  }
  out.set('index.ts', renderIndex(events));
  return out;
}

function commonTitles(schema: JsonSchema): Map<string, string> {
  const defs = (schema['$defs'] ?? {}) as Record<string, { title?: string }>;
  const titles = new Map<string, string>();
  for (const [key, def] of Object.entries(defs)) {
    if (!def.title) throw new Error(`common.v1 $defs/${key} needs a title: it names the generated type`);
    titles.set(key, def.title);
  }
  return titles;
}

async function renderCommon(schema: JsonSchema, titles: Map<string, string>): Promise<string> {
  const defs = (schema['$defs'] ?? {}) as Record<string, JsonSchema>;
  const parts: string[] = [];
  for (const [key, def] of Object.entries(defs)) {
    const { schema: linked } = replaceCommonRefs(def, titles);
    parts.push(await compileOne(linked, titles.get(key)!));
  }
  return `${BANNER}\n\n${parts.join('\n')}`;
}

async function renderSchema(file: SchemaFile, titles: Map<string, string>) {
  const module = file.path.split('/').pop()!.replace(/\.json$/, '');
  const name = String(file.schema['title']);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(`${file.path}: title "${name}" must be a PascalCase type name`);
  const { schema, used } = replaceCommonRefs(file.schema, titles);
  const body = await compileOne(schema, name);
  const imports = used.size === 0 ? '' : `import type { ${[...used].sort().join(', ')} } from './common.v1';\n\n`;
  return { module, name, content: `${BANNER}\n\n${imports}${body}` };
}

function renderIndex(events: { module: string; type: string; name: string }[]): string {
  const lines = [BANNER, '', "export type * from './common.v1';", "export type * from './cloudevent.v1';"];
  for (const event of events) lines.push(`import type { ${event.name} } from './${event.module}';`);
  lines.push(`export type { ${events.map((event) => event.name).join(', ')} };`, '');
  lines.push('/** Event type → the type of its `data`. */', 'export interface EventDataByType {');
  for (const event of events) lines.push(`  '${event.type}': ${event.name};`);
  lines.push('}', '');
  return lines.join('\n');
}

async function compileOne(schema: JsonSchema, name: string): Promise<string> {
  // $id would make the compiler try to resolve relative refs over the network; refs are gone by now anyway.
  const { $id: _id, $schema: _schema, ...rest } = schema;
  return compile(rest as JSONSchema, name, { bannerComment: '', additionalProperties: false, unknownAny: true, declareExternallyReferenced: false });
}

/** Replaces every ref to a common $def by `tsType: <Title>`, keeping sibling keywords such as description. */
function replaceCommonRefs(schema: JsonSchema | Record<string, unknown>, titles: Map<string, string>) {
  const used = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    const ref = (node as Record<string, unknown>)['$ref'];
    const copy: Record<string, unknown> = {};
    for (const [key, value] of entries) if (key !== '$ref') copy[key] = walk(value);
    if (typeof ref === 'string') {
      const match = /^(?:https:\/\/schemas\.polku\.fi\/common\/common\.v1\.json)?#\/\$defs\/([A-Za-z0-9]+)$/.exec(ref);
      const title = match ? titles.get(match[1]!) : undefined;
      if (!title) throw new Error(`cannot generate a type for $ref ${ref}: only refs to common.v1 $defs are supported`);
      used.add(title);
      copy['tsType'] = title;
    }
    return copy;
  };
  return { schema: walk(schema) as JsonSchema, used };
}
