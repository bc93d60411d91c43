import { describe, expect, it } from 'vitest';
import { createEvent } from './create-event';
import { readSchemaFiles } from './schema-files';
import { knownEventTypes, loadContracts, validateEvent } from './validate-event';

const referral = {
  referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11',
  needCodes: ['bullying'],
  urgency: 'urgent',
  municipalityCode: '179',
  ageBand: '7-12',
  language: 'sv',
  submitter: { organisationId: 'jyvaskyla-education', role: 'teacher' },
  legalBasis: 'lsl-25',
  submittedAt: '2025-03-10T08:14:52Z',
};

function submitted(data: Record<string, unknown> = referral) {
  return createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: referral.referralId, data });
}

describe('validateEvent', () => {
  it('accepts an event made by createEvent and hands it back', () => {
    const event = submitted();
    const result = validateEvent(event);
    expect(result).toEqual({ ok: true, event });
  });

  it('reports a data error as a pointer into the event', () => {
    const result = validateEvent(submitted({ ...referral, needCodes: ['bullying', 'gaming'] }));
    expect(result).toEqual({ ok: false, errors: [{ path: '/data/needCodes/1', message: expect.stringContaining('enum') }] });
  });

  it('reports every problem at once', () => {
    const { urgency: _u, ageBand: _a, ...partial } = referral;
    const result = validateEvent(submitted(partial));
    expect(result.ok ? [] : result.errors.map((issue) => issue.path)).toEqual(['/data/urgency', '/data/ageBand']);
  });

  it('never echoes the offending value, which may be personal data', () => {
    const identityCode = '010203A123B';
    const result = validateEvent(
      submitted({ ...referral, identityCode, municipalityCode: identityCode, language: identityCode, submittedAt: identityCode }),
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(identityCode);
    if (!result.ok) expect(result.errors.map((issue) => issue.path)).toContain('/data/identityCode');
  });

  it('rejects an unknown type at /type', () => {
    const event = { ...submitted(), type: 'fi.polku.referral.teleported.v1' };
    expect(validateEvent(event)).toEqual({ ok: false, errors: [{ path: '/type', message: expect.any(String) }] });
  });

  it('rejects a dataschema that is not the schema of the type', () => {
    const event = { ...submitted(), dataschema: 'https://schemas.polku.fi/referral/referral.submitted.v2.json' };
    expect(validateEvent(event)).toEqual({ ok: false, errors: [{ path: '/dataschema', message: expect.any(String) }] });
  });

  it('checks the envelope before the data', () => {
    const { id: _id, ...event } = submitted({});
    expect(validateEvent(event)).toEqual({ ok: false, errors: [{ path: '/id', message: expect.stringContaining('required') }] });
  });

  it('rejects things that are not events at all', () => {
    for (const candidate of [null, 'event', 42, []]) expect(validateEvent(candidate).ok).toBe(false);
  });
});

describe('knownEventTypes', () => {
  it('lists event types, not the envelope or common definitions', () => {
    const types = knownEventTypes();
    expect(types).toContain('fi.polku.referral.submitted.v1');
    expect(types.every((type) => /^fi\.polku\.[a-z-]+\.[a-z-]+\.v[0-9]+$/.test(type))).toBe(true);
    expect(types.some((type) => type.includes('envelope') || type.includes('common'))).toBe(false);
  });
});

describe('loadContracts', () => {
  // Services compile a schema when they first meet its type; this is where a broken one is caught.
  it.each(readSchemaFiles().map((file) => [file.path, file.schema.$id]))('%s compiles', (_path, schemaId) => {
    expect(() => loadContracts().dataValidator(schemaId)).not.toThrow();
  });

  it('refuses a folder without the envelope schema', () => {
    expect(() => loadContracts(import.meta.dirname)).toThrow(/envelope schema/);
  });
});
