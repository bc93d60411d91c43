import { polkuVitestConfig } from '../vitest.shared';

export default polkuVitestConfig({ integration: true, timeoutMs: 120_000 });
