import type { Command } from 'commander';
import type { ScriptingContext } from './context.js';

/**
 * The scripting command groups, one file each under src/commands/, in the order help lists
 * them. The command line knows them by name and loads a group's module only when it is asked
 * for (or for help), so the desktop starts without parsing any. A new group is one file that
 * exports `(ctx) => Command` and one line here.
 */
export interface CommandGroup {
  name: string;
  load(): Promise<(ctx: ScriptingContext) => Command>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { name: 'records', load: async () => (await import('./records.js')).recordsCommand },
  { name: 'callbacks', load: async () => (await import('./callbacks.js')).callbacksCommand },
  { name: 'slots', load: async () => (await import('./slots.js')).slotsCommand },
  { name: 'sim', load: async () => (await import('./sim.js')).simCommand },
  { name: 'campaigns', load: async () => (await import('./campaigns.js')).campaignsCommand },
  { name: 'state', load: async () => (await import('./state.js')).stateCommand },
  { name: 'agents', load: async () => (await import('./agents.js')).agentsCommand },
  { name: 'calls', load: async () => (await import('./calls.js')).callsCommand },
];
