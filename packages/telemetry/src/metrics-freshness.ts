import { consumerLagSnapshot } from './metrics-bus';
import { outboxSnapshot } from './metrics-outbox';
import { queueSnapshot } from './metrics-queues';
import { gauge } from './metrics-registry';

const SOURCES = { kafka_lag: consumerLagSnapshot, queues: queueSnapshot, outbox: outboxSnapshot } as const;

gauge({
  name: 'polku_metrics_source_fresh',
  help: 'Per scrape-time source (kafka_lag, queues, outbox): 1 when its series were read at this scrape or a few seconds before; 0 when its dependency did not answer in time and the last known values are shown.',
  labelNames: ['source'] as const,
  async collect() {
    this.reset();
    const states = await Promise.all(Object.entries(SOURCES).map(async ([source, read]) => [source, (await read()).ok] as const));
    for (const [source, ok] of states) this.set({ source }, ok ? 1 : 0);
  },
});
