// Demo only: signs the stand-in resident e-service's assertion about a person, as the real
// e-service does after strong identification (docs/keys.md). Uses the signing key `npm start` keeps
// in .polku/demo/resident-e-service.json.
//   npm run resident -- <identity code> [--guardian-of <child's identity code>,…] [--assurance substantial|high]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseIdentityCode } from '@polku/personal-data';
import { standInResidentEService } from '@polku/service-kit/stand-in-e-service';

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run resident -- <identity code> [--guardian-of <code>,…] [--assurance substantial|high]\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'guardian-of': { type: 'string' }, assurance: { type: 'string' } } });
const file = join(import.meta.dirname, '..', '.polku', 'demo', 'resident-e-service.json');
if (!existsSync(file)) fail('no stand-in resident e-service yet: run `npm start` first');
const identityCode = positionals[0];
if (!identityCode || !parseIdentityCode(identityCode)) fail('give a valid (synthetic, 900–999) identity code');
const children = (values['guardian-of'] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
if (!children.every((c) => parseIdentityCode(c))) fail('--guardian-of must list valid identity codes');
const assurance = values.assurance ?? 'high';
if (assurance !== 'high' && assurance !== 'substantial') fail('--assurance must be substantial or high');
const eService = await standInResidentEService(undefined, undefined, JSON.parse(readFileSync(file, 'utf8')));
process.stdout.write(`${await eService.assert({ identityCode, assurance, ...(children.length ? { guardianOf: children } : {}) })}\n`);
