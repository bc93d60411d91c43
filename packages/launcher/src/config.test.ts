import { describe, expect, it } from 'vitest';
import { loadDemoPorts, parseInstances } from './config';

it('gives npm start its usual ports when nothing is set', () => {
  expect(loadDemoPorts({})).toEqual({ referralApi: 8080, router: 8081, adapterHost: 8082, consent: 8083, console: 8084, disclosureSealer: 8086, school: 8090, ngo: 8091 });
});

it('moves a port with its setting', () => {
  expect(loadDemoPorts({ POLKU_SCHOOL_PORT: '18090' }).school).toBe(18090);
});

it('reports every bad port setting at once', () => {
  expect(() => loadDemoPorts({ POLKU_ROUTER_PORT: 'eighty', POLKU_NGO_PORT: '70000' })).toThrow(
    'invalid configuration: POLKU_NGO_PORT must be at most 65535; POLKU_ROUTER_PORT must be an integer',
  );
});

it('refuses two processes on one port', () => {
  expect(() => loadDemoPorts({ POLKU_CONSENT_PORT: '8090' })).toThrow('POLKU_CONSENT_PORT is 8090, the same as POLKU_SCHOOL_PORT');
});

describe('POLKU_INSTANCES', () => {
  it('names instances per service folder, and every mistake', () => {
    expect(parseInstances('router=2, adapter-host=2,consent=1,referral-api=3')).toEqual({ router: 2, adapterHost: 2, consent: 1, referralApi: 3 });
    expect(parseInstances(undefined)).toEqual({});
    expect(() => parseInstances('router=0')).toThrow(/router=0/);
    expect(() => parseInstances('school=2')).toThrow(/school=2/);
  });
});
