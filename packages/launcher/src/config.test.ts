import { expect, it } from 'vitest';
import { loadDemoPorts } from './config';

it('gives npm start its usual ports when nothing is set', () => {
  expect(loadDemoPorts({})).toEqual({ referralApi: 8080, router: 8081, adapterHost: 8082, consent: 8083, school: 8090, ngo: 8091 });
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
