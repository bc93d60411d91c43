import { describe, expect, it } from 'vitest';
import { describeAnswer, MAX_EXCERPT_CHARS, redactAnswer } from './redact-answer';

// Synthetic: individual numbers 900–999, valid check characters.
const HETU = '010203A912E';

describe('redactAnswer', () => {
  it('keeps the status, a problem code and type, and an excerpt without the values of name-like keys', () => {
    const body = JSON.stringify({
      type: 'urn:school:problem:not-enrolled', code: 'E_UNIT', title: 'unknown school unit',
      pupil: { firstName: 'Aino', lastName: 'Testinen' }, sukunimi: 'Testinen', detail: 'see the record',
    });
    const answer = redactAnswer(422, body);
    expect(answer).toMatchObject({ status: 422, code: 'E_UNIT', type: 'urn:school:problem:not-enrolled' });
    expect(answer.excerpt).toContain('unknown school unit');
    expect(answer.excerpt).not.toMatch(/Aino|Testinen/);
  });

  it('removes identity codes, e-mails, phone numbers and capitalised names from free text', () => {
    const body = JSON.stringify({ error: `Aino Testinen ${HETU} not found, ask aino.testinen@example.fi or +358 40 123 4567` });
    const { excerpt } = redactAnswer(400, body);
    expect(excerpt).toContain('[hetu]');
    expect(excerpt).toContain('[email]');
    expect(excerpt).toContain('[phone]');
    expect(excerpt).toContain('[name]');
    expect(excerpt).not.toMatch(/Aino|Testinen|912E|example\.fi|4567/);
  });

  it('cuts plain text at the first name-like key', () => {
    const { excerpt } = redactAnswer(409, 'duplicate referral; oppilas=aino testinen, luokka 7B');
    expect(excerpt).toBe('duplicate referral; oppilas [redacted]');
  });

  it(`keeps at most ${MAX_EXCERPT_CHARS} characters`, () => {
    const { excerpt } = redactAnswer(500, 'x'.repeat(5000));
    expect(excerpt!.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
  });

  it('drops a code that is not a plain code or that is an identity code', () => {
    expect(redactAnswer(422, JSON.stringify({ code: HETU })).code).toBeUndefined();
    expect(redactAnswer(422, JSON.stringify({ code: 'has spaces in it' })).code).toBeUndefined();
  });

  it('keeps nothing but the status of an empty answer', () => {
    expect(redactAnswer(404, '')).toEqual({ status: 404 });
    expect(redactAnswer(404, undefined)).toEqual({ status: 404 });
  });

  it('reads as one line for an error message', () => {
    expect(describeAnswer(redactAnswer(422, '{"error":"unknown school unit","code":"E_UNIT"}'))).toBe('HTTP 422 (code E_UNIT): {"error":"unknown school unit","code":"E_UNIT"}');
    expect(describeAnswer({ status: 503 })).toBe('HTTP 503');
  });
});
