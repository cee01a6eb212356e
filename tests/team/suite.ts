import { afterAll, afterEach } from 'vitest';
import { postgresStates, sqliteStates, type StateBackend } from '../helpers/pg-state-backends.js';
import { Team } from './team.js';

/**
 * The two backends of a team test file (a SQLite file each, a database each on the run's
 * PostgreSQL server), removed after the file; and the team of each test, ended after it
 * whatever happened (a failed test leaves no process behind).
 */
export function teamSuite(prefix: string): { backends: StateBackend[]; team: () => Team } {
  const backends = [sqliteStates(prefix), postgresStates()];
  let team = new Team();
  afterEach(async () => {
    const t = team;
    team = new Team();
    await t.kill();
  });
  afterAll(async () => {
    for (const b of backends) await b.cleanup();
  });
  return { backends, team: () => team };
}
