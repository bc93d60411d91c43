import { defineConfig, mergeConfig } from 'vitest/config';
import { polkuVitestConfig } from '../vitest.shared';

// One backbone at a time: the services' consumer groups are fixed names, so two test files
// running their own backbones at once would share partitions and see each other's referrals.
export default mergeConfig(polkuVitestConfig({ integration: true, timeoutMs: 120_000 }), defineConfig({ test: { fileParallelism: false } }));
