// Issues an API key for an organisation system and prints it once, for the IT team connecting it:
//   pnpm keys:issue --organisation jyvaskyla-education --system wilma --roles submitter,recipient
import { parseArgs } from 'node:util';
import { createDatabase } from '@polku/db';
import { createLogger, sqlApiKeyStore, type CallerRole } from '@polku/service-kit';
import { loadIssueKeyConfig } from '../config';

const ROLES: readonly CallerRole[] = ['submitter', 'recipient', 'operator', 'auditor', 'resident'];
const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: keys:issue --organisation <id> --system <id> --roles <${ROLES.join('|')}>[,...]\n`);
  process.exit(2);
}

const { values } = parseArgs({ options: { organisation: { type: 'string' }, system: { type: 'string' }, roles: { type: 'string' } } });
const { organisation, system, roles } = values;
if (!organisation || !KEY.test(organisation)) fail('--organisation must be a catalogue key (lower-case kebab-case)');
if (!system || !KEY.test(system)) fail('--system must be lower-case kebab-case');
const wanted = (roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
const unknown = wanted.filter((r) => !(ROLES as readonly string[]).includes(r));
if (wanted.length === 0 || unknown.length > 0) fail(`--roles must list known roles${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);

const db = createDatabase({ url: loadIssueKeyConfig().DATABASE_URL, applicationName: 'keys-issue', logger: createLogger({ service: 'keys-issue', level: 'warn' }) });
try {
  const { key, caller } = await sqlApiKeyStore(db).issue({ organisationId: organisation, systemId: system, roles: wanted as CallerRole[] });
  process.stdout.write(`API key ${caller.keyId} for ${organisation}/${system} (${wanted.join(', ')}). It is shown only now; store it in the system's secrets:\n${key}\n`);
} finally {
  await db.close();
}
