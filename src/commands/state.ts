import { Command } from 'commander';
import { copyState } from '../store/state-copy.js';
import type { ScriptingContext } from './context.js';

/** `state copy FROM TO`: how a team moves a world from one machine's file to a server's database, and back. */
export function stateCommand(ctx: ScriptingContext): Command {
  const { out, setup } = ctx;
  const state = setup(new Command('state')).description('the state as a whole: copy a world between a SQLite file and a PostgreSQL database');
  const copy = setup(new Command('copy'))
    .description('copy a whole world (calling lists, contacts, bookings, messages, interactions, configuration, counters, the clock) from one state to another that holds none')
    .argument('<from>', 'a state file or a postgres:// URL holding a world')
    .argument('<to>', 'a new state file, or an empty PostgreSQL database (postgres:// URL)');
  copy.action(async (from: string, to: string) => {
    const { counts: c, from: source, to: target } = await copyState(from, to);
    const n = (x: number) => x.toLocaleString('en-US');
    out(
      `copied ${source} to ${target}: ${n(c.calling_list)} records, ${n(c.contact)} contacts, ${n(c.gms_callback)} Genesys bookings (${n(c.gms_slot)} slot counts), ` +
        `${n(c.message)} messages, ${n(c.interaction)} interactions, ${n(c.agents)} agents, ${n(c.campaigns)} campaigns, ${n(c.services)} services, ` +
        `${n(c.campaign_zone)} campaign zones, ${n(c.counter)} counters, the clock and meta (${n(c.meta)} rows)\n`,
    );
  });
  return state.addCommand(copy);
}
