// STAND-IN: the stub school system as a process, for the demo and end-to-end tests. Not a real school system.
import { closeOnSignal, createLogger } from '@polku/service-kit';
import { buildStubApp } from './app';
import { loadStubConfig } from './config';

const config = loadStubConfig(process.env);
const logger = createLogger({ service: 'stub-school-system', level: config.LOG_LEVEL });
const { app } = buildStubApp({ secret: config.secret, logger, autoAcceptMs: config.STUB_AUTO_ACCEPT_MS, autoCloseMs: config.STUB_AUTO_CLOSE_MS });
await app.listen({ host: config.STUB_HOST, port: config.STUB_PORT });
logger.info({ standIn: true, url: `http://${config.STUB_HOST}:${config.STUB_PORT}` }, 'listening (STAND-IN school system, not a real one)');
closeOnSignal(logger, [{ name: 'http', close: () => app.close() }]);
