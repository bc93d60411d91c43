/**
 * `npm run contracts:check`: fails when any schema changed in a way that breaks readers of
 * earlier versions (backward-transitive). A breaking change is a new vN file, never an edit.
 *
 * Repository root: first argument, else POLKU_ROOT, else this checkout.
 */
import { resolve } from 'node:path';
import { checkRepo } from './compat/check-repo';

const root = resolve(process.argv[2] ?? process.env['POLKU_ROOT'] ?? resolve(import.meta.dirname, '../../..'));
const report = checkRepo(root);
for (const note of report.notes) console.log(`note: ${note}`);
if (report.breaks.length > 0) {
  for (const line of report.breaks) console.error(line);
  console.error(`${report.breaks.length} breaking change(s). Add a new schema version (…v<N+1>.json) instead of editing a published one.`);
  process.exit(1);
}
console.log(`${report.schemasChecked} schemas checked against ${report.versionsCompared} earlier versions, no breaking change`);
