import { syntheticIdentityCode } from '@polku/personal-data';

// Random start, then a sequence: different children in every call of a run, and runs that
// share a broker or Redis rarely meet each other's.
let sequence = Math.floor(Math.random() * 30_000);

/**
 * A synthetic identity code (individual number 900–999, valid check character) for a child
 * born in `birthYear`, never the same twice in a process. Tests that count what one subject
 * has (consents, disclosures) need this: two tests drawing the same child would see each
 * other's records.
 */
export function uniqueChildIdentityCode(birthYear: number): string {
  sequence += 1;
  const month = 1 + (sequence % 12);
  const day = 1 + (Math.floor(sequence / 12) % 28);
  const individual = 900 + (Math.floor(sequence / 336) % 100);
  return syntheticIdentityCode({ year: birthYear, month, day }, individual);
}
