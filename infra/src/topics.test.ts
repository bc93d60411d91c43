import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopicDeclarations } from './topics';

describe('topic declarations', () => {
  it('declares the referral, consent, delivery and disclosure topics, each with a dead-letter topic', () => {
    const topics = loadTopicDeclarations();
    const byName = new Map(topics.map((t) => [t.name, t]));
    expect(byName.get('polku.referral.events.v1')?.keyedBy).toBe('referral id');
    expect(byName.get('polku.consent.events.v1')?.cleanupPolicy).toBe('compact');
    expect(byName.get('polku.delivery.events.v1')).toBeDefined();
    // A resident may ask two years back, so the log must outlive that.
    expect(byName.get('polku.disclosure.log.v1')!.retentionMs).toBeGreaterThan(2 * 365 * 24 * 3600 * 1000);
    expect(topics.filter((t) => !t.retryFor).every((t) => t.deadLetter)).toBe(true);
  });

  it('gives every consumer that can dead-letter a retry topic of its own', () => {
    const retries = loadTopicDeclarations().filter((t) => t.retryFor);
    expect(retries.map((t) => t.retryFor)).toEqual(expect.arrayContaining([
      'projection.referral-status', 'projection.disclosure-log', 'projection.router', 'projection.adapter-host', 'adapter-host', 'projection.consent', 'projection.consent-referral-routes',
    ]));
    // As @polku/bus's retryTopicFor names it (its tests pin the same form).
    for (const t of retries) expect(t.name).toBe(`polku.retry.v1.${t.retryFor}`);
  });

  it('reports every problem of a bad file at once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'topics-')), 'topics.json');
    writeFileSync(file, JSON.stringify({ topics: [{ name: 'Bad Name', partitions: 0, cleanupPolicy: 'keep', retentionMs: 0 }] }));
    expect(() => loadTopicDeclarations(file)).toThrowError(/name must be.*\n.*partitions.*\n.*cleanupPolicy.*\n.*retentionMs.*\n.*keyedBy/s);
  });
});

describe('topics of the contracts', () => {
  it('are all declared here', async () => {
    const { TOPICS } = await import('@polku/contracts');
    const declared = loadTopicDeclarations().map((t) => t.name);
    expect(declared).toEqual(expect.arrayContaining(Object.values(TOPICS)));
  });
});
