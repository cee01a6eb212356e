import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Bounds, not budgets: a test waits for conditions and these only stop one that never comes.
    // Beside a busy machine (the suite must pass while other processes keep both cores busy)
    // tests that run the bin take three to five times as long as alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Most test files spend their time waiting for the bin, a pseudo-terminal or a database in
    // other processes: more forks than cores finish sooner (on this 2-core machine three took
    // 467 s against two's 509 s; four are set to keep .ci/run inside its 10 minutes).
    pool: 'forks',
    maxWorkers: 4,
    // One throwaway PostgreSQL server for the run (or CALLBACK_DESK_TEST_PG_URL's), started in
    // the background: tests of the PostgreSQL store wait for it, the others do not.
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
