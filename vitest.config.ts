import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/moto-global-setup.ts'],
    // moto_server is one shared process: test files that reset it must not run side by side.
    fileParallelism: true,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/polyfills.ts'],
  },
});
