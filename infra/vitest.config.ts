import { polkuVitestConfig } from '../vitest.shared';

// The infra tests start and stop their own broker on other ports, so no global setup.
export default polkuVitestConfig({ timeoutMs: 180_000 });
