import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_KINDS, type Catalogue } from './catalogue';
import { KESKI_SUOMI_CATALOGUE, loadCatalogue, parseCatalogue } from './load-catalogue';
import { SetupFileInvalid } from './setup-errors';

const shipped = (): Catalogue => JSON.parse(readFileSync(KESKI_SUOMI_CATALOGUE, 'utf8')) as Catalogue;

function problemsOf(data: unknown): SetupFileInvalid {
  try {
    parseCatalogue(data, 'test catalogue');
  } catch (error) {
    if (error instanceof SetupFileInvalid) return error;
    throw error;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('loadCatalogue', () => {
  it('loads the Keski-Suomi catalogue with its 22 municipalities', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.municipalities.map((m) => m.code).sort()).toEqual([
      '077', '172', '179', '182', '216', '226', '249', '256', '265', '275', '312',
      '410', '435', '495', '500', '592', '601', '729', '850', '892', '931', '992',
    ]);
    expect(Object.isFrozen(catalogue.services[0])).toBe(true);
  });

  it('names an unknown municipality and a missing organisation in one error', () => {
    const catalogue = shipped();
    catalogue.services[0]!.municipalities.push('999');
    catalogue.services[1]!.organisationId = 'no-such-org';
    const error = problemsOf(catalogue);
    expect(error.code).toBe('CATALOGUE_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.issues).toEqual([
      { path: '/services/0/municipalities/3', message: "unknown municipality code '999'" },
      { path: '/services/1/organisationId', message: "organisation 'no-such-org' does not exist" },
    ]);
    expect(error.message).toContain("'999'");
    expect(error.message).toContain("'no-such-org'");
  });

  it('reports every schema problem at once, with JSON pointers', () => {
    const catalogue = shipped() as unknown as { services: Record<string, unknown>[]; organisations: Record<string, unknown>[] };
    delete catalogue.services[2]!['kind'];
    catalogue.services[3]!['needCodes'] = ['homework'];
    catalogue.organisations[0]!['email'] = 'x@example.fi';
    const paths = problemsOf(catalogue).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/services/2/kind', '/services/3/needCodes/0', '/organisations/0/email']));
  });

  it('rejects duplicate ids, statutory NGOs, a missing fallback and a municipality without child welfare', () => {
    const catalogue = shipped();
    const mll = catalogue.services.findIndex((s) => s.id === 'mll-family-support');
    catalogue.services[mll]!.acceptsStatutory = ['lsl-25'];
    catalogue.services.push({ ...catalogue.services[0]! });
    catalogue.fallbackServiceId = 'ksh-family-centre-jyvaskyla';
    catalogue.services = catalogue.services.filter((s) => s.id !== 'ksh-child-welfare-wiitaunioni');
    const messages = problemsOf(catalogue).issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "duplicate service id 'ksh-family-centre-jyvaskyla'",
        'a ngo service always needs consent',
        "service 'ksh-family-centre-jyvaskyla' is a family-centre, not a guidance-coordinator",
        "no child-welfare service covers '931'",
      ]),
    );
  });

  it('knows the same service kinds as its schema', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../data/catalogue.schema.json'), 'utf8')) as {
      $defs: { serviceKind: { enum: string[] } };
    };
    expect(schema.$defs.serviceKind.enum).toEqual([...SERVICE_KINDS]);
  });

  it('reports a file that is not JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'router-')), 'broken.json');
    writeFileSync(file, '{ "region": ');
    await expect(loadCatalogue(file)).rejects.toMatchObject({ code: 'CATALOGUE_INVALID', issues: [{ path: '' }] });
  });
});
