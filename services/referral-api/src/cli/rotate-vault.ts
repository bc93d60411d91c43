// Re-seals every vault record under the first key of POLKU_VAULT_KEYS, while the services run:
//   POLKU_VAULT_KEYS=<new id>:<new key>,<old id>:<old key> DATABASE_URL=… npm run vault:rotate
// Before: every referral-api instance runs with the new key first (and the old one after it), so
// no new record is sealed under the old key. After it reports 0 remaining, drop the old key.
import { createDatabase } from '@polku/db';
import { rotateVault, vaultKeyUsage } from '@polku/personal-data';
import { createLogger, errorCode } from '@polku/service-kit';
import { loadRotateVaultConfig } from '../config';

const config = loadRotateVaultConfig();
const keys = config.POLKU_VAULT_KEYS;
const db = createDatabase({ url: config.DATABASE_URL, applicationName: 'vault-rotate', logger: createLogger({ service: 'vault-rotate', level: 'warn' }), timeoutMs: config.POLKU_DATABASE_TIMEOUT_MS });
const say = (line: string) => process.stdout.write(`${line}\n`);
try {
  say(`vault keys in use before: ${describe(await vaultKeyUsage(db))}`);
  say(`re-sealing under ${keys.current.id}…`);
  const progress = await rotateVault(db, keys, { onBatch: (n) => say(`  ${n} re-sealed`) });
  say(`re-sealed ${progress.resealed}; still under another key: ${progress.remaining}`);
  say(`vault keys in use after: ${describe(await vaultKeyUsage(db))}`);
  if (progress.remaining > 0) {
    say('some records were sealed under an older key meanwhile: an instance still runs with it first. Fix its POLKU_VAULT_KEYS and run this again.');
    process.exitCode = 1;
  } else {
    const unused = [...keys.byId.keys()].filter((id) => id !== keys.current.id);
    if (unused.length > 0) say(`no record needs ${unused.join(', ')} any more: remove it from POLKU_VAULT_KEYS everywhere.`);
  }
} catch (error) {
  say(`vault rotation stopped (${errorCode(error)}): ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}

function describe(usage: Record<string, number>): string {
  return Object.entries(usage).map(([id, n]) => `${id} (${n})`).join(', ') || 'none';
}
