import { readFile } from 'node:fs/promises';
import type { ValidationIssue } from '@polku/contracts';

/** Reads a JSON file; a syntax error comes back as an issue so it is reported like any other. */
export async function readJsonFile(file: string): Promise<{ data: unknown; issues: ValidationIssue[] }> {
  const text = await readFile(file, 'utf8');
  try {
    return { data: JSON.parse(text) as unknown, issues: [] };
  } catch (error) {
    return { data: undefined, issues: [{ path: '', message: `not JSON: ${(error as Error).message}` }] };
  }
}
