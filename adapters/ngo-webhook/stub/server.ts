// STAND-IN: an NGO's webhook receiver as a process, for the demo and end-to-end tests. Not a real NGO system.
// The same stand-in as the school system's (the API is the same); only its name in the logs differs.
import { buildStubApp } from '@polku/adapter-education-school/stub/app';
import { loadStubConfig } from '@polku/adapter-education-school/stub/config';
import { closeOnSignal, createLogger } from '@polku/service-kit';

const config = loadStubConfig({ ...process.env, STUB_PORT: process.env['STUB_PORT'] ?? '8091', STUB_SECRET: process.env['STUB_SECRET'] ?? process.env['POLKU_NGO_WEBHOOK_SECRET'] });
const logger = createLogger({ service: 'stub-ngo-webhook', level: config.LOG_LEVEL });
const { app } = buildStubApp({ secret: config.secret, logger, autoAcceptMs: config.STUB_AUTO_ACCEPT_MS, autoCloseMs: config.STUB_AUTO_CLOSE_MS });
await app.listen({ host: config.STUB_HOST, port: config.STUB_PORT });
logger.info({ standIn: true, url: `http://${config.STUB_HOST}:${config.STUB_PORT}` }, 'listening (STAND-IN NGO webhook receiver, not a real one)');
closeOnSignal(logger, [{ name: 'http', close: () => app.close() }]);
