import { describe, expect, it } from 'vitest';
import { readExampleFiles } from './schema-files';
import { validateEvent } from './validate-event';

// Every example under schemas/ is a whole wire message; adding a file adds a test.
const examples = readExampleFiles();

describe('schema examples', () => {
  it.each(examples.filter((example) => example.expect === 'valid').map((example) => [example.path, example]))(
    '%s passes',
    (_path, example) => {
      const result = validateEvent(example.event);
      expect(result.ok ? [] : result.errors).toEqual([]);
    },
  );

  // Exactly one issue: an invalid example that fails for two reasons proves neither.
  it.each(examples.filter((example) => example.expect === 'invalid').map((example) => [example.path, example]))(
    '%s fails for exactly one reason',
    (_path, example) => {
      const result = validateEvent(example.event);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toHaveLength(1);
    },
  );
});
