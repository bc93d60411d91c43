import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metricsRegistry, startProcessMetrics } from '../src/index';

const infra = (path: string) => readFileSync(new URL(`../../../infra/${path}`, import.meta.url), 'utf8');

interface Rule { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface Panel { type: string; title: string; targets?: Array<{ expr: string }>; panels?: Panel[] }

/** Every series name a scrape of a Polku process can show (a histogram as its _bucket, _sum and _count). */
function exposedNames(): Set<string> {
  startProcessMetrics({ service: 'infra-files-test' });
  const names = new Set<string>();
  for (const metric of metricsRegistry.getMetricsAsArray()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

const polkuNames = (expr: string) => [...expr.matchAll(/\bpolku_[a-z0-9_]+/g)].map((m) => m[0]);

const rules = (): Rule[] => (parse(infra('prometheus/alerts.yml')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const dashboardExprs = (): string[] => {
  const dashboard = JSON.parse(infra('grafana/polku-dashboard.json')) as { panels: Panel[] };
  const all = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...all(p.panels ?? [])]);
  return all(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
};

describe('the Prometheus and Grafana files in infra/', () => {
  it('alert only on metrics Polku exposes, each rule with a severity and a summary', () => {
    const exposed = exposedNames();
    const list = rules();
    expect(list.length).toBeGreaterThan(5);
    for (const rule of list) {
      expect(rule.alert).toMatch(/^Polku[A-Za-z0-9]+$/);
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(polkuNames(rule.expr).filter((name) => !exposed.has(name)), `${rule.alert} uses names no process exposes`).toEqual([]);
    }
    // The alerts the operations backbone promises (issue 12).
    expect(list.map((r) => r.alert)).toEqual(expect.arrayContaining([
      'PolkuServiceDown', 'PolkuConsumerLagHigh', 'PolkuDeadLettersGrowing', 'PolkuDeliveryFailures', 'PolkuOutboxBacklog', 'PolkuHttp5xxRate',
    ]));
  });

  it('chart only metrics Polku exposes', () => {
    const exposed = exposedNames();
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(10);
    expect(exprs.flatMap(polkuNames).filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('scrape every service at the port docs/services.md gives it, one job per service', () => {
    const config = parse(infra('prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const jobs = Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]));
    expect(jobs).toEqual({
      'polku-referral-api': ['127.0.0.1:8080'], 'polku-router': ['127.0.0.1:8081'], 'polku-adapter-host': ['127.0.0.1:8082'],
      'polku-consent': ['127.0.0.1:8083'], 'polku-disclosure-sealer': ['127.0.0.1:8086'], 'polku-console': ['127.0.0.1:8084'],
    });
    // The `up` series the down-alert reads exist only for these jobs.
    expect(rules().find((r) => r.alert === 'PolkuServiceDown')?.expr).toContain('job=~"polku-.*"');
  });
});
