import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KESKI_SUOMI_RULES, loadRules, parseRules } from './load-rules';
import type { RoutingRules } from './rules';
import { SetupFileInvalid } from '@polku/catalogue';

const shipped = (): RoutingRules => JSON.parse(readFileSync(KESKI_SUOMI_RULES, 'utf8')) as RoutingRules;

function issuesOf(data: unknown): SetupFileInvalid['issues'] {
  try {
    parseRules(data, 'test rules');
  } catch (error) {
    if (error instanceof SetupFileInvalid && error.code === 'ROUTER_RULES_INVALID') return error.issues;
    throw error;
  }
  throw new Error('expected the rules to be rejected');
}

describe('loadRules', () => {
  it('loads the Keski-Suomi rules, notification first and a catch-all last', async () => {
    const rules = await loadRules();
    expect(rules.rules[0]?.id).toBe('child-welfare-notification');
    expect(rules.rules.at(-1)?.when).toEqual({});
    expect(rules.sla.byUrgency).toEqual({ urgent: 1, soon: 3, routine: 7 });
  });

  it('reports schema problems with pointers: an unknown kind, a bad close of day, an unknown statute', () => {
    const rules = shipped() as unknown as { sla: Record<string, unknown>; rules: { then: Record<string, unknown> }[] };
    rules.rules[3]!.then['lead'] = 'school-nurse';
    rules.sla['closeOfDay'] = '4pm';
    rules.sla['byStatute'] = { 'gdpr-6': { workingDays: 1, sla: 'first-contact' } };
    const paths = issuesOf(rules).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/rules/3/then/lead', '/sla/closeOfDay', '/sla/byStatute']));
  });

  it('refuses a rule that could catch a child-welfare notification before the notification rule', () => {
    const rules = shipped();
    rules.rules.unshift({ id: 'greedy', description: 'Matches anything.', when: {}, then: { lead: 'family-centre', coWorkers: [] } });
    expect(issuesOf(rules)).toEqual([{ path: '/rules/0', message: expect.stringContaining("'lsl-25'") }]);
  });

  it('refuses co-workers on the notification route, statutory consent routes and duplicate ids', () => {
    const rules = shipped();
    rules.rules[0]!.then.coWorkers = ['family-centre'];
    rules.rules[5]!.then.statutory = true;
    rules.rules[6]!.id = rules.rules[7]!.id;
    expect(issuesOf(rules).map((i) => i.path)).toEqual(['/rules/7/id', '/rules/5/when/legalBasis', '/rules/0']);
  });
});
