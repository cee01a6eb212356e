import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Bounds, not budgets: a test waits for conditions and these only stop one that never comes.
    // Beside a busy machine (the suite must pass while other processes keep both cores busy)
    // tests that run the bin take three to five times as long as alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests that spawn the bin or a pseudo-terminal are slow to start on a 2-core machine;
    // two forks keep the suite well under CI's budget without oversubscribing it.
    pool: 'forks',
    maxWorkers: 2,
    // One throwaway PostgreSQL server for the run (or CALLBACK_DESK_TEST_PG_URL's), started in
    // the background: tests of the PostgreSQL store wait for it, the others do not.
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
