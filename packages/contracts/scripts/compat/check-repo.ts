import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSchemaFiles } from '../../src/schema-files';
import { findBreaks } from './find-breaks';
import { GitHistory } from './git-history';

export interface CompatReport {
  /** One line per break, `schemas/<path>: <rule> at <pointer> (vs <sha>)`. */
  breaks: string[];
  /** Notes that do not fail the check (no history, shallow clone). */
  notes: string[];
  schemasChecked: number;
  versionsCompared: number;
}

const isSchemaPath = (path: string) => path.endsWith('.json') && !path.split('/').includes('examples');

/** Compares every schema in `<root>/schemas` with every earlier committed version of the same file. */
export function checkRepo(root: string): CompatReport {
  const git = new GitHistory(root);
  const files = existsSync(join(root, 'schemas')) ? readSchemaFiles(join(root, 'schemas')) : [];
  const report: CompatReport = { breaks: [], notes: [], schemasChecked: files.length, versionsCompared: 0 };
  const missing = git.unavailable();
  if (missing) {
    report.notes.push(`${missing}: no earlier versions to compare against`);
    return report;
  }
  if (git.isShallow()) report.notes.push('shallow clone: only the history present was compared; fetch full history for a complete check');
  const seen = new Set<string>();
  for (const file of files) {
    const path = `schemas/${file.path}`;
    for (const version of git.versions(path)) {
      report.versionsCompared++;
      for (const found of findBreaks(JSON.parse(version.text), file.schema)) {
        // The same break against several older versions is reported once, against the newest.
        const key = `${path} ${found.rule} ${found.path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report.breaks.push(`${path}: ${found.rule} at ${found.path || '/'} (vs ${version.sha})`);
      }
    }
  }
  const present = new Set(files.map((file) => `schemas/${file.path}`));
  for (const path of git.filesAtHead('schemas').filter(isSchemaPath)) {
    if (!present.has(path)) report.breaks.push(`${path}: schema-removed at / (vs HEAD)`);
  }
  return report;
}
