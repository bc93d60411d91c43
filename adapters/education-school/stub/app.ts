// STAND-IN: a stub of a municipal school's student-welfare system, for tests and the demo only.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '@polku/service-kit';
import { adminRoutes } from './admin-routes';
import { autoMode, type AutoModeOptions } from './auto-mode';
import { Ledger } from './ledger';
import { referralsRoute } from './referrals-route';
import { sendCallback } from './send-callback';
import type { StubContext } from './stub-context';

export interface StubOptions extends AutoModeOptions {
  secret: Buffer;
  logger: Logger;
}

export interface StubApp {
  app: FastifyInstance;
  ledger: Ledger;
}

export function buildStubApp(options: StubOptions): StubApp {
  const logger = options.logger.child({ standIn: true });
  // Force-closing keeps a test's teardown from waiting on a delayed answer nobody reads any more.
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, forceCloseConnections: true });
  // Bodies stay strings: the signature covers the exact bytes Polku sent.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const ledger = new Ledger();
  const context: StubContext = {
    secret: options.secret,
    ledger,
    logger,
    onDelivered: (referralId) => auto.delivered(referralId),
    async act(referralId, act) {
      const delivery = ledger.deliveryOf(referralId);
      if (!delivery) return undefined;
      const result = await sendCallback(options.secret, delivery, act);
      logger.info({ referralId, action: act.action, status: result.status }, 'STAND-IN school system called Polku back');
      return result;
    },
  };
  const auto = autoMode(context, options);
  referralsRoute(app, context);
  adminRoutes(app, context);
  app.addHook('onClose', async () => auto.stop());
  return { app, ledger };
}
