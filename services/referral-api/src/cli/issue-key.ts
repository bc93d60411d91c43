// The key lifecycle from the command line (docs/keys.md); every change is audited with who and why.
//   npm run keys -- issue --organisation jyvaskyla-education --system wilma --roles submitter,recipient [--services a,b] [--expires 2027-06-30T00:00:00Z] [--reason "..."]
//   npm run keys -- list
//   npm run keys -- revoke <key id> --reason "..."
//   npm run keys -- rotate <key id> --reason "..." [--overlap-hours 24]
// `pnpm keys:issue --organisation … --system … --roles …` (without a subcommand) still issues.
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createDatabase } from '@polku/db';
import { createLogger, DEFAULT_ROTATION_OVERLAP_MS, sqlApiKeyStore, type ApiKeyStore, type CallerRole, type KeyAudit } from '@polku/service-kit';
import { loadIssueKeyConfig } from '../config';

const ROLES: readonly CallerRole[] = ['submitter', 'recipient', 'operator', 'auditor', 'resident', 'backbone'];
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY_ID = /^[a-z0-9]{12}$/;
const USAGE = `usage: npm run keys -- issue --organisation <id> --system <id> --roles <${ROLES.join('|')}>[,...] [--services <id>,...] [--expires <ISO date>] [--reason <text>]
       npm run keys -- list
       npm run keys -- revoke <key id> --reason <text>
       npm run keys -- rotate <key id> --reason <text> [--overlap-hours <hours, default 24>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const command = args[0] && !args[0].startsWith('-') ? args.shift()! : 'issue';
const { values, positionals } = parseArgs({
  args,
  allowPositionals: true,
  options: {
    organisation: { type: 'string' }, system: { type: 'string' }, roles: { type: 'string' }, services: { type: 'string' },
    expires: { type: 'string' }, reason: { type: 'string' }, 'overlap-hours': { type: 'string' },
  },
});

/** Who ran it, for the audit: the operating-system user on this host. */
const actor = `cli:${userInfo().username}@${hostname()}`;

function auditWith(reason: string | undefined, fallback?: string): KeyAudit {
  const text = reason?.trim() || fallback;
  if (!text || text.length < 3) fail('--reason is required: the audit keeps who, when and why');
  return { actor, reason: text };
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((r) => r.trim()).filter(Boolean);
}

async function issue(store: ApiKeyStore) {
  const { organisation, system, roles, services, expires, reason } = values;
  if (!organisation || !SLUG.test(organisation)) fail('--organisation must be a catalogue key (lower-case kebab-case)');
  if (!system || !SLUG.test(system)) fail('--system must be lower-case kebab-case');
  const wanted = list(roles);
  const unknown = wanted.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (wanted.length === 0 || unknown.length > 0) fail(`--roles must list known roles${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  const serviceIds = list(services);
  if (!serviceIds.every((s) => SLUG.test(s))) fail('--services must be catalogue service ids');
  const expiresAt = expires === undefined ? undefined : new Date(expires);
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) fail('--expires must be a date in the future (ISO 8601)');
  const { key, caller } = await store.issue(
    { organisationId: organisation, systemId: system, roles: wanted as CallerRole[], services: serviceIds, ...(expiresAt ? { expiresAt } : {}) },
    auditWith(reason, 'issued from the command line'),
  );
  const until = expiresAt ? `, expires ${expiresAt.toISOString()}` : '';
  process.stdout.write(`API key ${caller.keyId} for ${organisation}/${system} (${wanted.join(', ')}${until}). It is shown only now; store it in the system's secrets:\n${key}\n`);
}

async function revoke(store: ApiKeyStore) {
  const keyId = positionals[0];
  if (!keyId || !KEY_ID.test(keyId)) fail('revoke needs a key id (12 lower-case letters and digits; see `list`)');
  const audit = auditWith(values.reason);
  if (!(await store.revoke(keyId, audit))) fail(`no active key ${keyId}`);
  process.stdout.write(`API key ${keyId} revoked: its next request gets 401 KEY_REVOKED.\n`);
}

async function rotate(store: ApiKeyStore) {
  const keyId = positionals[0];
  if (!keyId || !KEY_ID.test(keyId)) fail('rotate needs a key id (12 lower-case letters and digits; see `list`)');
  const audit = auditWith(values.reason);
  const hours = values['overlap-hours'] === undefined ? DEFAULT_ROTATION_OVERLAP_MS / 3_600_000 : Number(values['overlap-hours']);
  if (!Number.isFinite(hours) || hours < 0 || hours > 720) fail('--overlap-hours must be between 0 and 720');
  const rotated = await store.rotate(keyId, audit, hours * 3_600_000);
  if (!rotated) fail(`no active key ${keyId}`);
  process.stdout.write(`API key ${keyId} rotated; the old secret works until ${rotated.previousSecretUntil}. The new key is shown only now:\n${rotated.key}\n`);
}

async function show(store: ApiKeyStore) {
  const rows = await store.list();
  for (const k of rows) {
    const extra = [k.expiresAt ? `expires ${k.expiresAt}` : '', k.previousSecretUntil ? `old secret until ${k.previousSecretUntil}` : ''].filter(Boolean).join(', ');
    process.stdout.write(`${k.keyId}  ${k.state.padEnd(7)}  ${k.organisationId}/${k.systemId}  ${k.roles.join(',')}${k.services.length ? `  services ${k.services.join(',')}` : ''}${extra ? `  (${extra})` : ''}\n`);
  }
  process.stdout.write(`${rows.length} keys; secrets are never listed.\n`);
}

const COMMANDS: Record<string, (store: ApiKeyStore) => Promise<void>> = { issue, list: show, revoke, rotate };
const run = COMMANDS[command] ?? fail(`unknown command "${command}"`);
const db = createDatabase({ url: loadIssueKeyConfig().DATABASE_URL, applicationName: `keys-${command}`, logger: createLogger({ service: 'keys', level: 'warn' }) });
try {
  await run(sqlApiKeyStore(db));
} finally {
  await db.close();
}
