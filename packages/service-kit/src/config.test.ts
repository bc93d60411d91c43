import { describe, expect, it } from 'vitest';
import { loadConfig, settings } from './config';

const spec = {
  PORT: settings.port(8080),
  KAFKA_BROKERS: settings.list(),
  LEVEL: settings.oneOf(['info', 'debug'] as const, 'info'),
  VAULT_KEY: settings.key(32),
};

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const config = loadConfig(spec, { KAFKA_BROKERS: 'a:1, b:2', VAULT_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(config.PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.LEVEL).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig(spec, { PORT: 'eighty', LEVEL: 'loud', VAULT_KEY: 'c2hvcnQ=' })).toThrowError(
      'invalid configuration: PORT must be an integer; KAFKA_BROKERS is required; LEVEL must be one of info, debug; VAULT_KEY must be 32 bytes in base64',
    );
  });
});
