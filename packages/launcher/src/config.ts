import { loadConfig, PolkuError, settings } from '@polku/service-kit';

export const SERVICE_NAMES = ['school', 'ngo', 'consent', 'referralApi', 'router', 'adapterHost', 'disclosureSealer', 'console'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Each process of the backbone: what it is, in messages, and the setting that moves its port under `npm start`. */
export const PORT_SETTINGS: Record<ServiceName, { setting: string; port: number; what: string }> = {
  referralApi: { setting: 'POLKU_REFERRAL_API_PORT', port: 8080, what: 'the referral API' },
  router: { setting: 'POLKU_ROUTER_PORT', port: 8081, what: 'the router' },
  adapterHost: { setting: 'POLKU_ADAPTER_HOST_PORT', port: 8082, what: 'the adapter host' },
  consent: { setting: 'POLKU_CONSENT_PORT', port: 8083, what: 'the consent service' },
  console: { setting: 'POLKU_CONSOLE_PORT', port: 8084, what: 'the console' },
  // 8085 is kept for a service to come.
  disclosureSealer: { setting: 'POLKU_DISCLOSURE_SEALER_PORT', port: 8086, what: 'the disclosure sealer' },
  school: { setting: 'POLKU_SCHOOL_PORT', port: 8090, what: 'the stand-in school system' },
  ngo: { setting: 'POLKU_NGO_PORT', port: 8091, what: 'the stand-in NGO system' },
};

/**
 * The ports `npm start` listens on: POLKU_REFERRAL_API_PORT (8080), POLKU_ROUTER_PORT (8081),
 * POLKU_ADAPTER_HOST_PORT (8082), POLKU_CONSENT_PORT (8083), POLKU_CONSOLE_PORT (8084), POLKU_DISCLOSURE_SEALER_PORT (8086), POLKU_SCHOOL_PORT (8090) and
 * POLKU_NGO_PORT (8091). Each is checked (1–65535, no two the same); every problem is reported at once.
 */
export function loadDemoPorts(env: Record<string, string | undefined>): Readonly<Record<ServiceName, number>> {
  const spec = Object.fromEntries(SERVICE_NAMES.map((name) => [PORT_SETTINGS[name].setting, settings.integer(PORT_SETTINGS[name].port, { min: 1, max: 65535 })]));
  const values = loadConfig(spec, env) as Record<string, number>;
  const ports = Object.fromEntries(SERVICE_NAMES.map((name) => [name, values[PORT_SETTINGS[name].setting]!])) as Record<ServiceName, number>;
  const problems: string[] = [];
  const taken = new Map<number, ServiceName>();
  for (const name of SERVICE_NAMES) {
    const other = taken.get(ports[name]);
    if (other) problems.push(`${PORT_SETTINGS[name].setting} is ${ports[name]}, the same as ${PORT_SETTINGS[other].setting}`);
    taken.set(ports[name], name);
  }
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  return Object.freeze(ports);
}

/**
 * The services that run as several instances, under the names POLKU_INSTANCES gives them (their
 * folders). The stand-ins keep what they received in memory, so they always run once.
 */
const SCALABLE_SERVICES = { 'referral-api': 'referralApi', router: 'router', consent: 'consent', 'adapter-host': 'adapterHost', 'disclosure-sealer': 'disclosureSealer', console: 'console' } as const satisfies Record<string, ServiceName>;
export type ScalableService = (typeof SCALABLE_SERVICES)[keyof typeof SCALABLE_SERVICES];

/** Instances per service: POLKU_INSTANCES, e.g. `router=2,adapter-host=2,consent=2,referral-api=2`. */
export function parseInstances(text: string | undefined): Partial<Record<ScalableService, number>> {
  const byFolder: Record<string, ScalableService> = SCALABLE_SERVICES;
  const counts: Partial<Record<ScalableService, number>> = {};
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [folder, n] = entry.split('=');
    const name = byFolder[folder ?? ''];
    const count = Number(n);
    if (!name || !Number.isInteger(count) || count < 1 || count > 8) throw new PolkuError('CONFIG_INVALID', `POLKU_INSTANCES: "${entry}" must be <service>=<1..8>, the service one of ${Object.keys(byFolder).join(', ')}`);
    counts[name] = count;
  }
  return counts;
}
