import { randomBytes } from 'node:crypto';
import { newSigningKey } from '@polku/service-kit';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The keys the backbone's services need, in the form their settings take. */
export interface BackboneSecrets {
  /** POLKU_VAULT_KEYS: `<key id>:<base64>`, the sealing key first. */
  vaultKeys: string;
  pseudonymKey: string;
  schoolSharedSecret: string;
  ngoSharedSecret: string;
  /** Each disclosure-log writer's (and the sealer's) own Ed25519 key, its POLKU_DISCLOSURE_SIGNING_KEY. */
  disclosureSigningKeys: Record<DisclosureSigner, string>;
  /** Their public keys, POLKU_DISCLOSURE_PUBLIC_KEYS: what the sealer and `disclosures:verify` check with. */
  disclosurePublicKeys: string;
}

/** The services that sign: the writers of disclosure-log entries, and the sealer its checkpoints. */
export const DISCLOSURE_SIGNERS = ['referral-api', 'consent', 'adapter-host', 'disclosure-sealer'] as const;
export type DisclosureSigner = (typeof DISCLOSURE_SIGNERS)[number];

export function freshSecrets(): BackboneSecrets {
  const pairs = DISCLOSURE_SIGNERS.map((signer) => [signer, newSigningKey(`${signer}-1`)] as const);
  return {
    vaultKeys: `vault-1:${randomBytes(32).toString('base64')}`, pseudonymKey: randomBytes(32).toString('base64'), schoolSharedSecret: randomBytes(32).toString('base64'), ngoSharedSecret: randomBytes(32).toString('base64'),
    disclosureSigningKeys: Object.fromEntries(pairs.map(([signer, pair]) => [signer, pair.signingKey])) as Record<DisclosureSigner, string>,
    disclosurePublicKeys: pairs.map(([, pair]) => pair.publicKey).join(','),
  };
}

/**
 * The demo keeps its keys in a git-ignored file, so the vault it wrote stays readable and
 * subject references stay stable across restarts of `npm start`.
 */
export function persistentSecrets(file: string): BackboneSecrets {
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<BackboneSecrets> & { vaultKey?: string }) : {};
  // Before the vault had a key ring it had one key; it becomes the ring's only key, so its records still open.
  if (stored.vaultKey && !stored.vaultKeys) {
    stored.vaultKeys = `vault-1:${stored.vaultKey}`;
    delete stored.vaultKey;
  }
  // Secrets added in later versions are filled in and kept, so an older demo folder keeps working.
  // The signing keys and their public keys come as one, so a key is never without its public half.
  const fresh = freshSecrets();
  if (!stored.disclosureSigningKeys || !stored.disclosurePublicKeys) {
    stored.disclosureSigningKeys = fresh.disclosureSigningKeys;
    stored.disclosurePublicKeys = fresh.disclosurePublicKeys;
  }
  const secrets = { ...fresh, ...stored };
  if ((Object.keys(secrets) as (keyof BackboneSecrets)[]).some((name) => stored[name] !== secrets[name])) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
