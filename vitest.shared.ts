import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * The one vitest setup of the workspace. Every package writes a JSON report beside
 * itself, which `npm test` sums into its closing line. `integration: true` adds the
 * global setup that finds (or starts) a real Kafka broker and Redis.
 */
export function polkuVitestConfig(options: { integration?: boolean; timeoutMs?: number } = {}): ViteUserConfig {
  const timeout = options.timeoutMs ?? (options.integration ? 60_000 : 5_000);
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-report.json' },
      testTimeout: timeout,
      hookTimeout: timeout,
      globalSetup: options.integration ? [fileURLToPath(new URL('./infra/src/test-setup.ts', import.meta.url))] : [],
    },
  });
}
