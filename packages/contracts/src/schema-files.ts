import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { eventTypeForSchemaPath } from './event-type-names';

/** The repository's schemas/ folder, found from this file so it works under tsx, vitest and any cwd. */
export const SCHEMAS_DIR = resolve(import.meta.dirname, '../../../schemas');

export type JsonSchema = Record<string, unknown> & { $id: string };

export interface SchemaFile {
  /** Path relative to the schemas folder, forward slashes: `referral/referral.submitted.v1.json`. */
  path: string;
  schema: JsonSchema;
  /** The event type the schema describes; undefined for common definitions and the envelope. */
  eventType: string | undefined;
}

/** Every schema file (not the examples) under `dir`, sorted by path. */
export function readSchemaFiles(dir: string = SCHEMAS_DIR): SchemaFile[] {
  return listJson(dir)
    .filter((file) => !file.split('/').includes('examples'))
    .map((path) => {
      const schema = JSON.parse(readFileSync(join(dir, path), 'utf8')) as JsonSchema;
      return { path, schema, eventType: eventTypeForSchemaPath(path) };
    });
}

export interface ExampleFile {
  path: string;
  expect: 'valid' | 'invalid';
  /** The case, e.g. `unknown-property` for `...v1.invalid.unknown-property.json`. */
  label: string;
  event: unknown;
}

/** Every example event under `dir`: `<entity>/examples/<name>.v<N>.(valid|invalid)[.<case>].json`. */
export function readExampleFiles(dir: string = SCHEMAS_DIR): ExampleFile[] {
  return listJson(dir)
    .filter((file) => file.split('/').includes('examples'))
    .map((path) => {
      const match = /\.v[0-9]+\.(valid|invalid)(?:\.([a-z0-9-]+))?\.json$/.exec(path);
      if (!match) throw new Error(`example file name does not say valid or invalid: ${path}`);
      const event: unknown = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      return { path, expect: match[1] as 'valid' | 'invalid', label: match[2] ?? '', event };
    });
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => relative(dir, join(dir, file)).split('\\').join('/'))
    .filter((file) => file.endsWith('.json'))
    .sort();
}
