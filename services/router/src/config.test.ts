import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './config';

describe('router settings', () => {
  it('has working defaults and no timer overrides', () => {
    expect(loadRouterConfig({ POLKU_CONSENT_KEY: 'pk_test' })).toMatchObject({
      HOST: '127.0.0.1', PORT: 8081, POLKU_CONSENT_URL: 'http://127.0.0.1:8083', POLKU_CONSENT_KEY: 'pk_test', POLKU_FOLLOW_UP_MONTHS: 3, POLKU_QUEUE_PREFIX: 'polku',
      POLKU_RULES_FILE: undefined, POLKU_CATALOGUE_FILE: undefined, POLKU_SLA_OVERRIDE_MS: undefined, POLKU_FOLLOW_UP_OVERRIDE_MS: undefined,
    });
  });

  it('reads the test overrides as milliseconds', () => {
    expect(loadRouterConfig({ POLKU_CONSENT_KEY: 'pk_test', POLKU_SLA_OVERRIDE_MS: '1500', POLKU_FOLLOW_UP_OVERRIDE_MS: '0' })).toMatchObject({ POLKU_SLA_OVERRIDE_MS: 1500, POLKU_FOLLOW_UP_OVERRIDE_MS: 0 });
  });

  it('reports every bad setting at once', () => {
    expect(() => loadRouterConfig({ PORT: 'x', POLKU_SLA_OVERRIDE_MS: '-1', POLKU_FOLLOW_UP_MONTHS: '0', POLKU_CONSENT_URL: 'not a url' })).toThrow(
      /PORT must be an integer.*POLKU_FOLLOW_UP_MONTHS must be at least 1.*POLKU_CONSENT_URL must be a URL.*POLKU_CONSENT_KEY is required.*POLKU_SLA_OVERRIDE_MS must be at least 0/,
    );
  });
});
