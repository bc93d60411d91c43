// STAND-IN: starting the stub school system in-process, for tests. Not a real school system.
import type { AddressInfo } from 'node:net';
import type { ConformanceStub } from '@polku/adapter-kit/conformance';
import { createLogger } from '@polku/service-kit';
import { buildStubApp, type StubOptions } from './app';
import { callbackBody } from './callback-body';
import type { Ledger } from './ledger';

export interface RunningStub extends ConformanceStub {
  ledger: Ledger;
}

/** Starts the stand-in on `port` (0 = any free port) of 127.0.0.1. */
export async function startStub(options: Partial<StubOptions> & { secret: Buffer; port?: number }): Promise<RunningStub> {
  const logger = options.logger ?? createLogger({ service: 'stub-school-system', level: 'silent' });
  const { app, ledger } = buildStubApp({ ...options, logger });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secret: options.secret,
    ledger,
    async script(answers) {
      ledger.setScript(answers);
    },
    async deliveries() {
      return [...ledger.deliveries.values()].map(({ idempotencyKey, attempts, detailsReceived }) => ({ idempotencyKey, attempts, detailsReceived }));
    },
    callbackBody: (delivery, action) => JSON.stringify(callbackBody({ referralId: delivery.referralId, idempotencyKey: delivery.deliveryId }, { action })),
    close: () => app.close(),
  };
}
