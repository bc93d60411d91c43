import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInfraConfig } from './config';
import { down, up } from './local-infra';
import { isAlive, portAnswers } from './processes';

// A broker of its own, on other ports and in a temporary state folder, so this test can
// start and stop it while other packages' tests use the shared one.
const config = loadInfraConfig({ POLKU_HOME: mkdtempSync(join(tmpdir(), 'polku-infra-')), POLKU_KAFKA_PORT: '19192', POLKU_KAFKA_CONTROLLER_PORT: '19193', POLKU_REDIS_PORT: '16390' });
const silent = () => {};

describe('local infrastructure', () => {
  it('starts one broker and one Redis however often they are brought up, and down stops them', async () => {
    const first = await up(config, silent);
    const second = await up(config, silent);
    try {
      expect(first.kafkaBrokers).toBe('127.0.0.1:19192');
      expect(first.started.kafka).toBe(true);
      expect(second.started.kafka).toBe(false);
      expect(first.redisUrl).toBe('redis://127.0.0.1:16390');
      expect([first.started.redis, second.started.redis]).toEqual([true, false]);
      expect(await portAnswers(19192)).toBe(true);
    } finally {
      const pid = Number(readFileSync(join(config.stateDir, 'kafka', 'broker.pid'), 'utf8'));
      await down({ kafka: true, redis: true }, config, silent);
      expect(isAlive(pid)).toBe(false);
      expect(await portAnswers(19192)).toBe(false);
      expect(await portAnswers(16390)).toBe(false);
    }
  });
});
