import { defineConfig } from 'vitest/config';

// Test files that need moto_server (a real S3). They are the only ones besides test/e2e that start it:
// a file listed nowhere runs as a unit test, where test/support/moto.ts refuses to load.
const S3_TESTS = [
  'test/lambdas/transfer/list-keys.test.ts',
  'test/lambdas/transfer/s3-object-store.test.ts',
  'test/lambdas/transfer/transfer-file-s3.test.ts',
  'test/lambdas/transfer/open-read.test.ts',
  'test/lambdas/curated/convert-split.test.ts',
];
const E2E_TESTS = ['test/e2e/**/*.test.ts'];
// CDK synthesis (and the two tests that spawn `cdk`/`tsx`): no server, but seconds per file.
const INFRA_TESTS = ['test/lib/**/*.test.ts'];
const MOTO = ['test/support/moto-global-setup.ts'];

export default defineConfig({
  test: {
    // moto_server is one shared process per project that needs it: each test file uses its own bucket.
    fileParallelism: true,
    pool: 'forks',
    // Vitest's default takes half the cores: one worker on the 2-core CI machine, which ran the suite
    // serially (516 s of tests; 404 s with two workers, measured on that machine).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // No server started for the run: in-process simulators on 127.0.0.1, the memory store, fakes.
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...S3_TESTS, ...E2E_TESTS, ...INFRA_TESTS],
          env: { TEST_PROJECT: 'unit' },
        },
      },
      { extends: true, test: { name: 'infra', include: INFRA_TESTS } },
      { extends: true, test: { name: 's3', include: S3_TESTS, globalSetup: MOTO } },
      // Whole workflows and spawned CLIs: they wait on events (a line printed, a file written), never
      // on the clock; the limit only ends a hung test, generously, because a shared machine is slow.
      {
        extends: true,
        test: { name: 'e2e', include: E2E_TESTS, globalSetup: MOTO, testTimeout: 300_000, hookTimeout: 300_000 },
      },
    ],
  },
});
