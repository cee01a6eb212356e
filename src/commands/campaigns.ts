import { Argument, Command, InvalidArgumentError } from 'commander';
import { DIALING_MODE_NAMES, DialingMode, deliveryMode, type CampaignStatus } from '../engine/domain.js';
import { ABANDON_TARGET_RANGE, MAX_SIMULATED_COLLEAGUES, setCampaignStatus, setDialingMode, setSimulatedColleagues, setTargetAbandonRate } from '../engine/dialer/desk-dialer.js';
import { visibleText } from '../runtime/visible-text.js';
import { CommandError, campaignOf, withWorld, type ScriptingContext } from './context.js';
import { intIn, nameArg } from './args.js';

/** `campaigns list | load | start | stop | unload | mode`: a supervisor's view of the campaigns. */
export function campaignsCommand(ctx: ScriptingContext): Command {
  const { worldOptions, out, json, setup } = ctx;
  const campaigns = setup(new Command('campaigns')).description("a supervisor's view: list campaigns, move them through Loaded, Started, Stopped, Unloaded, change the dialing mode");
  const campaignsList = worldOptions(setup(new Command('list')).description('list the campaigns').option('--json', 'as JSON'));
  campaignsList.action(async (o) => {
    await withWorld(ctx, o, (engine) => {
      const list = Object.values(engine.state.campaigns).map((c) => ({
        id: c.id,
        name: c.name,
        status: c.status,
        dialing_mode: c.dialingMode,
        dialing_mode_name: DIALING_MODE_NAMES[c.dialingMode],
        delivery: deliveryMode(c.dialingMode),
        callback_policy: c.callbackPolicy,
      }));
      if (o.json) json(list);
      else for (const c of list) out(`${visibleText(`${c.id.padEnd(16)} ${c.name.padEnd(17)} ${c.status.padEnd(9)} ${c.delivery.padEnd(9)} ${c.dialing_mode_name}`)}\n`);
    });
  });
  campaigns.addCommand(campaignsList);
  const STATUS_VERBS: [string, CampaignStatus, string][] = [
    ['load', 'Loaded', 'load a campaign (agents see it as Active)'],
    ['start', 'Started', 'start dialing (the agents of the group get a message)'],
    ['stop', 'Stopped', 'stop dialing'],
    ['unload', 'Unloaded', 'unload a stopped or loaded campaign'],
  ];
  for (const [verb, status, what] of STATUS_VERBS) {
    const cmd = worldOptions(setup(new Command(verb)).description(what).argument('<campaign>', 'campaign name or id', nameArg('a campaign name or id')));
    cmd.action(async (name: string, o) => {
      await withWorld(ctx, o, async (engine) => {
        const r = await setCampaignStatus(engine, campaignOf(engine, name), status);
        if (!r.ok) throw new CommandError(r.error);
        out(`${r.value.name}: ${r.value.status}\n`);
      });
    });
    campaigns.addCommand(cmd);
  }
  const MODES = new Map<string, DialingMode>([
    ['preview', DialingMode.Preview],
    ['push-preview', DialingMode.PushPreview],
    ['progressive', DialingMode.Progressive],
    ['predictive', DialingMode.Predictive],
  ]);
  const modeCmd = worldOptions(
    setup(new Command('mode'))
      .description('change the dialing mode, also while running')
      .argument('<campaign>', 'campaign name or id', nameArg('a campaign name or id'))
      .addArgument(new Argument('<mode>', 'dialing mode').choices([...MODES.keys()])),
  );
  modeCmd.action(async (name: string, mode: string, o) => {
    await withWorld(ctx, o, async (engine) => {
      const r = await setDialingMode(engine, campaignOf(engine, name), MODES.get(mode)!);
      if (!r.ok) throw new CommandError(r.error);
      out(`${r.value.name}: ${DIALING_MODE_NAMES[r.value.dialingMode]}\n`);
    });
  });
  campaigns.addCommand(modeCmd);
  const targetCmd = worldOptions(
    setup(new Command('abandon-target'))
      .description('set the abandon rate the Progressive and Predictive dialer keeps under, in percent of live answers (3 is 3%)')
      .argument('<campaign>', 'campaign name or id', nameArg('a campaign name or id'))
      .argument('<percent>', `${ABANDON_TARGET_RANGE.min * 100} to ${ABANDON_TARGET_RANGE.max * 100}, such as 3 or 2.5%`, percentArg),
  );
  targetCmd.action(async (name: string, rate: number, o) => {
    await withWorld(ctx, o, async (engine) => {
      const r = await setTargetAbandonRate(engine, campaignOf(engine, name), rate);
      if (!r.ok) throw new CommandError(r.error);
      out(`${r.value.name}: abandon target ${(r.value.targetAbandonRate * 100).toFixed(1)}%\n`);
    });
  });
  campaigns.addCommand(targetCmd);
  const colleaguesCmd = worldOptions(
    setup(new Command('colleagues'))
      .description("how many simulated colleagues the campaign's dialer keeps beside the agents at desktops (0: real agents only); taken at its next start")
      .argument('<campaign>', 'campaign name or id', nameArg('a campaign name or id'))
      .argument('<n>', `0 to ${MAX_SIMULATED_COLLEAGUES}`, intIn(0, MAX_SIMULATED_COLLEAGUES)),
  );
  colleaguesCmd.action(async (name: string, n: number, o) => {
    await withWorld(ctx, o, async (engine) => {
      const r = await setSimulatedColleagues(engine, campaignOf(engine, name), n);
      if (!r.ok) throw new CommandError(r.error);
      out(`${r.value.name}: ${n} simulated colleague${n === 1 ? '' : 's'}${r.value.status === 'Started' ? ' from its next start' : ''}\n`);
    });
  });
  campaigns.addCommand(colleaguesCmd);
  return campaigns;
}

/** A percentage as the command line gives it ("3", "2.5", "2.5%"), as a share (0.025). */
function percentArg(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  if (!m) throw new InvalidArgumentError('a percentage such as 3 or 2.5%');
  const rate = Number(m[1]) / 100;
  if (rate < ABANDON_TARGET_RANGE.min || rate > ABANDON_TARGET_RANGE.max) throw new InvalidArgumentError(`from ${ABANDON_TARGET_RANGE.min * 100} to ${ABANDON_TARGET_RANGE.max * 100}`);
  return rate;
}
