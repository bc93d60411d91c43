import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORGANISATIONS, personAssertions, recordConsents, referralSequence, runScenario, watchFlow, type Fault } from '@polku/bench/chaos';
import { createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { ensureKafkaBroker, loadInfraConfig, ownBrokerPid } from '@polku/infra';
import { issueApiKeys } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { startBackbone, type RunningBackbone } from './backbone';
import { testInfra } from './support';

const brokerConfig = loadInfraConfig();
const brokerIsOurs = ownBrokerPid(brokerConfig) !== undefined && process.env.KAFKA_BROKERS === `127.0.0.1:${brokerConfig.kafkaPort}`;
const logger = createLogger({ service: 'e2e-chaos', level: 'silent' });

/**
 * The short version of `npm run chaos`, so every CI run guards it: a burst of 200 referrals of the
 * three kinds, during which one instance of each service is killed with SIGKILL (and started again)
 * and the broker is killed and started again. Nothing accepted may be lost, nothing delivered twice.
 */
describe('a burst through crashes, end to end', () => {
  let run: RunningBackbone;
  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, adapterHost: { POLKU_DELIVERY_BACKOFF_MS: '300', POLKU_DELIVERY_BACKOFF_MAX_MS: '2000', POLKU_DELIVERY_ATTEMPTS: '50' } });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it.skipIf(!brokerIsOurs)('loses nothing and delivers nothing twice while every service loses an instance and the broker restarts', async () => {
    const keys = await issueApiKeys(run.databaseUrl, BENCH_ORGANISATIONS);
    await recordConsents(run.backbone.urls.consent, keys, 20);
    const sequence = referralSequence(20);
    const assertions = await personAssertions(run.backbone.residentEService.eService, sequence);
    const watch = await watchFlow(namespacedTransport(createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-chaos-watch', logger }), run.namespace));
    const crashes: Fault = {
      id: 'short',
      label: 'one instance of each service killed, the broker killed and started again',
      async inject({ backbone }) {
        for (const service of ['router', 'adapterHost', 'consent', 'referralApi'] as const) {
          await backbone.instances[service][0]!.kill();
          await sleep(1500);
          await backbone.restart(service, {}, 0);
        }
        process.kill(ownBrokerPid(brokerConfig)!, 'SIGKILL');
        await sleep(2000);
        await ensureKafkaBroker(brokerConfig, () => {});
      },
    };
    try {
      const row = await runScenario({
        fault: crashes, ctx: { backbone: run.backbone, infra: brokerConfig, redisUrl: testInfra().redisUrl, say: () => {} },
        watch, keys, sequence, personHeaders: assertions.headersFor, referrals: 200, rate: 20, faultAfterMs: 2000, stallMs: 90_000,
        stubUrls: [run.backbone.urls.school, run.backbone.urls.ngo],
      });
      console.log(`short chaos: accepted ${row.accepted}, 503s ${row.unavailable}, no answer ${row.noAnswer}, reached ${row.reached}, repeated POSTs ${row.repeatedPosts}, drained in ${row.drainSeconds} s`);
      expect(row.note).toBeUndefined();
      expect(row.refused).toEqual({});
      expect(row.accepted).toBe(200);
      expect(row.lost).toEqual([]);
      expect(row.duplicated).toEqual([]);
    } finally {
      assertions.stop();
      await watch.stop();
    }
  }, 300_000);
});
