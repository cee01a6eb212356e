import { Command } from 'commander';
import { addAgent, agentRoster, defaultGroup } from '../engine/team.js';
import { isoUtc } from '../engine/genesys-callback.js';
import { visibleText } from '../runtime/visible-text.js';
import { CommandError, withWorld, type ScriptingContext } from './context.js';
import { nameArg, textArg } from './args.js';
import { noSuch } from './names.js';

/** `agents list | add`: the team on the world, and new agents for a training room. */
export function agentsCommand(ctx: ScriptingContext): Command {
  const { worldOptions, out, json, setup } = ctx;
  const agents = setup(new Command('agents')).description('the agents of the world: who is logged in and in what state; add agents for a training room');
  const list = worldOptions(setup(new Command('list')).description('list the agents: id, name, state (LoggedOut, Ready, NotReady, Talking, WrapUp), since, campaigns, simulated or real').option('--json', 'as JSON'));
  list.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const beats = new Map((await engine.store.team.heartbeats()).map((b) => [b.agentId, b]));
      const rows = agentRoster(engine).map((r) => {
        const b = beats.get(r.id);
        return { ...r, since: r.since === null ? null : isoUtc(r.since), desktop: r.place && b ? { host: b.host, pid: b.pid, beat_at: new Date(b.beatAt).toISOString() } : null };
      });
      if (o.json) {
        json(rows);
        return;
      }
      out(`${'id'.padEnd(12)} ${'name'.padEnd(18)} ${'state'.padEnd(9)} ${'since'.padEnd(20)} ${'kind'.padEnd(9)} campaigns\n`);
      for (const r of rows) {
        out(`${visibleText(`${r.id.padEnd(12)} ${r.name.padEnd(18)} ${r.state.padEnd(9)} ${(r.since ?? '-').padEnd(20)} ${r.kind.padEnd(9)} ${r.campaigns.join(',') || '-'}`)}\n`);
      }
    });
  });
  const add = worldOptions(
    setup(new Command('add'))
      .description('add an agent who logs in at a desktop (a trainee): logged out until then')
      .argument('<id>', 'the agent id, as --agent takes it', nameArg('an agent id'))
      .requiredOption('--name <name>', 'the name the desktop shows', textArg('--name', 64))
      .option('--group <group>', "the agent group (default: the campaigns' group when there is one)", nameArg('an agent group')),
  );
  add.action(async (id: string, o) => {
    await withWorld(ctx, o, async (engine) => {
      const groups = [...new Set([...Object.values(engine.state.campaigns).map((c) => c.groupId), ...Object.values(engine.state.agents).map((a) => a.groupId)])].sort();
      const group = (o.group as string | undefined) ?? defaultGroup(engine);
      if (!group) throw new CommandError(`name the agent's group with --group (groups: ${groups.join(', ')})`);
      if (!groups.includes(group)) throw new CommandError(`--group: ${noSuch('agent group', group, groups)}`);
      const r = await addAgent(engine, { id, name: o.name as string, groupId: group });
      if (!r.ok) throw new CommandError(r.error);
      out(`agent ${r.value.id} (${r.value.name}) added to group ${group}: logged out; log in with --agent ${r.value.id}\n`);
    });
  });
  agents.addCommand(list).addCommand(add);
  return agents;
}
