import { polkuVitestConfig } from '../../vitest.shared';

// Real processes on loopback ports, no broker or database: each test takes seconds.
export default polkuVitestConfig({ timeoutMs: 30_000 });
