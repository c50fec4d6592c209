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
    // The machines run Node 20 (the Lambdas run Node latest): the SDK's Node-22 notice is known, not news.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
