import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Started first, in this order: the files that take longest on the clock, most of it one run of
 * the bin, a database or a desktop after another. Vitest starts the files it has no results for
 * largest first, and `npm ci` removes its results (node_modules/.vite), so in CI the team tests
 * and demos-on-both, short files that wait minutes, started last and ran on alone at the end.
 */
const LONGEST = [
  'tests/store/shared-file.test.ts',
  'tests/cli/bad-input.test.ts',
  'tests/cli/scripting.test.ts',
  'tests/cli/records-postgres.test.ts',
  'tests/team/dead-desk.test.ts',
  'tests/team/callbacks.test.ts',
  'tests/team/preview-race.test.ts',
  'tests/team/failover.test.ts',
  'tests/store/contract.test.ts',
  'tests/engine/reschedule.test.ts',
  'tests/cli/demos-on-both.test.ts',
  'tests/cli/records-io.test.ts',
  'tests/screens/layout.test.tsx',
  'tests/cli/terminal.test.ts',
  'tests/team/logins.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith(`/${name}`));
      return i < 0 ? LONGEST.length : i;
    };
    // The others in vitest's own order (longest first by its results, else largest first).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
    // One throwaway PostgreSQL server for the run (or CALLBACK_DESK_TEST_PG_URL's), started in
    // the background: tests of the PostgreSQL store wait for it, the others do not.
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
