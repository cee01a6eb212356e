import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import { CALLBACK_TYPES, CALL_RESULT_NAMES, DIALING_MODE_NAMES, DialingMode, RecordType, deliveryMode, type CampaignStatus } from '../engine/domain.js';
import { setCampaignStatus, setDialingMode } from '../engine/dialer/desk-dialer.js';
import { runCampaignSim } from '../engine/dialer/campaign-sim.js';
import { CallingListError, parseCallingListCsv } from '../engine/dialer/calling-list-csv.js';
import { availability, bookGenesysCallback, isoUtc } from '../engine/genesys-callback.js';
import { checkPhoneNumber } from '../engine/phone-numbers.js';
import { parseInstant } from '../runtime/demo-script.js';
import type { Engine } from '../engine/engine.js';
import { cancelCallback, scheduleCallback, type ScriptedCallback } from '../engine/outbound.js';
import { explicitInstant, parseWhen } from '../engine/time/callback-time.js';
import { openWorld, timeZones, withWorld, type OpenWorld, type WorldOptions } from '../runtime/world-host.js';
import { RECORD_HEADER, recordJson, recordLine } from './record-json.js';
import { LineSink, RecordsIoError, exportRecords, importRecords, listRecords, parseRecordStatus } from './records-io.js';

/** A user error in a scripting command: one line on stderr, exit 2, nothing changed. */
export class CommandError extends Error {}

export interface ScriptingContext {
  worldOptions: (cmd: Command) => Command;
  worldOpts: (o: Record<string, unknown>) => WorldOptions;
  out: (s: string) => void;
  /** Warnings: the command still succeeds. */
  err: (s: string) => void;
  realNow: () => number;
  setup: (cmd: Command) => Command;
}

function intIn(min: number, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(v);
  };
}

function numIn(min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return n;
  };
}

function parseId(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a record id (a whole number)');
  return Number(v);
}

function campaignOf(engine: Engine, name: string): string {
  const c = Object.values(engine.state.campaigns).find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
  if (!c) throw new CommandError(`no campaign "${name}" (campaigns: ${Object.values(engine.state.campaigns).map((x) => x.name).join(', ')})`);
  return c.id;
}

export function scriptingCommands(ctx: ScriptingContext): Command[] {
  const { worldOptions, worldOpts, out, realNow, setup } = ctx;

  const records = setup(new Command('records')).description('the calling lists (OCS records with their chains)');
  // The records commands stream (list, export) or run long (import): async, on an open world,
  // straight to process.stdout so that back-pressure and a closed pipe (EPIPE) are handled.
  const onWorld = async (o: Record<string, unknown>, fn: (world: OpenWorld) => Promise<void>) => {
    const world = openWorld(worldOpts(o), realNow, false);
    try {
      await fn(world);
    } catch (e) {
      if (e instanceof RecordsIoError) throw new CommandError(e.message);
      throw e;
    } finally {
      world.store.close();
    }
  };
  const recordsList = worldOptions(
    setup(new Command('list'))
      .description('list calling-list records, in record_id order (streamed)')
      .option('--campaign <name>', 'only this campaign (name or id)')
      .option('--zone <zone>', "only contacts in this IANA zone")
      .option('--status <status>', 'only this record_status: Ready, Retrieved, Updated, Stale, Cancelled, AgentError, ChainUpdated, MissedCallback, ChainReady (or its number)', parseRecordStatus)
      .option('--limit <n>', 'at most n records', intIn(1, 1_000_000_000))
      .addOption(new Option('--json', 'JSON in the calling-list field names').conflicts('jsonl'))
      .addOption(new Option('--jsonl', 'one JSON object per line (JSON Lines)').conflicts('json')),
  );
  recordsList.action(async (o) => {
    await onWorld(o, async ({ engine }) => {
      const campaign = o.campaign ? campaignOf(engine, o.campaign) : undefined;
      if (o.zone && !engine.zones.has(o.zone)) throw new CommandError(`unknown time zone "${o.zone}"`);
      const format = o.jsonl ? 'jsonl' : o.json ? 'json' : 'table';
      await listRecords(engine, { campaignId: campaign, tz: o.zone, status: o.status, limit: o.limit, format }, new LineSink(process.stdout));
    });
  });
  const recordsImport = worldOptions(
    setup(new Command('import'))
      .description('import a calling list from a CSV in the calling-list field names: every row or, on a bad row, none (one transaction)')
      .argument('<file.csv>', 'header line: contact_info, daily_from, daily_till, tz, optional record_id, record_type, record_status, chain_id... and custom fields')
      .requiredOption('--campaign <name>', 'the campaign the records join (name or id)')
      .option('--skip-bad', 'skip bad lines (listed on stderr) and import the rest')
      .option('--new-ids', "new record_id, chain_id and contact ids instead of the CSV's (rows with one chain_id stay one chain): a copy beside the original"),
  );
  recordsImport.action(async (file: string, o) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      if (fs.statSync(file).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    } catch (e) {
      throw new CommandError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    await onWorld(o, async (world) => {
      const campaign = world.engine.state.campaigns[campaignOf(world.engine, o.campaign)];
      const r = await importRecords(world, { file, campaign, skipBad: !!o.skipBad, newIds: !!o.newIds, stderr: process.stderr });
      out(`imported ${r.imported} records into ${campaign.name} (${r.skipped} skipped)\n`);
    });
  });
  const recordsExport = worldOptions(
    setup(new Command('export'))
      .description("write a campaign's calling list to stdout (streamed): CSV that `records import` reads back, or JSON lines")
      .requiredOption('--campaign <name>', 'the campaign (name or id)')
      .addOption(new Option('--format <format>', 'csv (the import\'s field names, with the contact\'s names and custom fields) or jsonl').choices(['csv', 'jsonl']).default('csv')),
  );
  recordsExport.action(async (o) => {
    await onWorld(o, async (world) => {
      const campaign = world.engine.state.campaigns[campaignOf(world.engine, o.campaign)];
      await exportRecords(world, campaign, o.format, new LineSink(process.stdout));
    });
  });
  records.addCommand(recordsList).addCommand(recordsImport).addCommand(recordsExport);

  const callbacks = setup(new Command('callbacks')).description('outbound callbacks (records of type 5 Personal and 6 Campaign Callback) and Genesys Callback bookings');
  const list = worldOptions(setup(new Command('list')).description('list callbacks').option('--json', 'JSON in the calling-list field names'));
  list.action((o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const cbs = engine.store.records.callbacks(1_000_000);
      if (o.json) out(`${JSON.stringify(cbs.map((r) => recordJson(r, engine.zones)), null, 2)}\n`);
      else out(cbs.length ? `${RECORD_HEADER}\n${cbs.map((r) => recordLine(r, engine.zones)).join('\n')}\n` : 'no callbacks\n');
    });
  });

  const whenOptions = (cmd: Command) =>
    cmd
      .requiredOption('--at <text>', 'when: "tomorrow 3pm", "next monday 10:00", "in 2 hours", "2026-12-01 10:00"')
      .addOption(new Option('--earlier', 'in the fall-back hour, the first of the two times').conflicts('later'))
      .addOption(new Option('--later', 'in the fall-back hour, the second of the two times').conflicts('earlier'))
      .option('--json', 'print the booked record as JSON');

  const book = (engine: Engine, o: Record<string, unknown>, s: Omit<ScriptedCallback, 'when' | 'tz' | 'overlap'>) => {
    const base = engine.record(s.recordId);
    if (!base) throw new CommandError(`no record ${s.recordId}`);
    // --at is read in --tz (the agent's zone) when given, else in the contact's zone.
    const tz = (o.tz as string | undefined) ?? base.tz;
    const when = parseWhen(String(o.at), engine.now, tz, engine.zones);
    if (!when) throw new CommandError(`cannot read --at "${o.at}" as a date and time`);
    const r = scheduleCallback(engine, { ...s, when, tz, overlap: o.earlier ? 'earlier' : o.later ? 'later' : undefined });
    if (!r.ok) {
      const hint = r.error.code === 'overlap' ? '; pass --earlier or --later' : '';
      throw new CommandError(`${r.error.message}${hint}`);
    }
    const rec = r.value.record;
    // Which zone --at was read in: its own (Z, +05:30, PST, Europe/Berlin), else --tz or the contact's.
    const pinned = explicitInstant(when, engine.zones);
    const readIn = pinned && !('error' in pinned) ? pinned.readIn : tz;
    // Outside the number's contact hours the form warns; so does the command (the dialer waits).
    if (r.value.warning) ctx.err(`callback-desk: warning: ${r.value.warning}\n`);
    if (o.json) out(`${JSON.stringify({ ...recordJson(rec, engine.zones), at_read_in: readIn }, null, 2)}\n`);
    else {
      const at = rec.dial_sched_time! * 1000;
      out(`record ${rec.record_id}: ${rec.record_type === RecordType.PersonalCallback ? `Personal Callback (agent ${rec.agent_id})` : 'Campaign Callback'} at ${engine.zones.format(at, rec.tz, 'yyyy-LL-dd HH:mm')} ${rec.tz} = ${new Date(at).toISOString()} (--at read in ${readIn})\n`);
    }
  };

  const add = worldOptions(
    whenOptions(setup(new Command('add')).description('book a callback on a record (RecordReschedule)'))
      .requiredOption('--record <id>', 'the record to call back', parseId)
      .addOption(new Option('--personal', 'a Personal Callback (back to --agent)').conflicts('campaign'))
      .addOption(new Option('--campaign', 'a Campaign Callback (any agent of the campaign)').conflicts('personal'))
      .option('--phone <number>', "call back on this number of the contact's chain")
      .option('--agent <id>', 'the agent who owns a personal callback', 'a.lopez')
      .option('--replace', "move the record's open callback instead of refusing a second one"),
  );
  add.action((o) => {
    if (o.phone !== undefined && !String(o.phone).trim()) throw new CommandError('--phone needs a number (it was empty)');
    withWorld(worldOpts(o), realNow, (engine) => {
      book(engine, o, { recordId: o.record, personal: o.personal ? true : o.campaign ? false : undefined, agentId: o.agent, phone: o.phone, replace: !!o.replace });
    });
  });

  const reschedule = worldOptions(whenOptions(setup(new Command('reschedule')).description('move an open callback to another time').argument('<id>', 'record id of the callback', parseId)));
  reschedule.action((id: number, o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const r = engine.record(id);
      if (!r || (r.record_type !== RecordType.PersonalCallback && r.record_type !== RecordType.CampaignCallback)) throw new CommandError(`record ${id} is not a callback`);
      book(engine, o, { recordId: id, personal: r.record_type === RecordType.PersonalCallback, agentId: r.agent_id ?? 'a.lopez', replace: true });
    });
  });

  const cancel = worldOptions(setup(new Command('cancel')).description('cancel an open callback (RecordCancel)').argument('<id>', 'record id of the callback', parseId));
  cancel.action((id: number, o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const r = cancelCallback(engine, id);
      if (!r.ok) throw new CommandError(r.error);
      out(`record ${id}: callback cancelled (record_status 5 Cancelled)\n`);
    });
  });
  const bookCmd = worldOptions(
    setup(new Command('book'))
      .description('book a Genesys Callback in a slot of a service')
      .requiredOption('--service <name>', 'the callback service')
      .requiredOption('--contact <id>', 'the contact (as in Team Communicator, such as C0042)')
      .requiredOption('--slot <iso>', 'start of the slot, an ISO-8601 instant such as 2026-11-25T14:00:00Z')
      .addOption(new Option('--type <type>', 'callback type').choices([...CALLBACK_TYPES]).default('Scheduled'))
      .option('--number <phone>', "the customer's number (default: the contact's first)")
      .option('--json', 'print the booking as JSON'),
  );
  bookCmd.action((o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const contact = engine.contact(o.contact);
      if (!contact) throw new CommandError(`no contact ${o.contact}`);
      const slot = parseInstant(o.slot);
      if (slot === null) throw new CommandError(`--slot "${o.slot}" is not an ISO-8601 instant with a zone, such as 2026-11-25T14:00:00Z`);
      let number = engine.chainOf(contact.id)[0]?.contact_info;
      if (o.number) {
        const p = checkPhoneNumber(o.number, contact.tz);
        if (!p.ok) throw new CommandError(p.error);
        number = p.e164;
      }
      if (!number) throw new CommandError(`contact ${o.contact} has no number; pass --number`);
      const r = bookGenesysCallback(engine, { service: o.service, contactId: contact.id, customerNumber: number, type: o.type, slot, bookedBy: 'script' });
      if (!r.ok) throw new CommandError(r.error);
      const cb = r.value;
      if (o.json) out(`${JSON.stringify({ id: cb.id, service: cb.service, _customer_number: cb.customerNumber, _desired_time: isoUtc(cb.desiredTime), type: cb.type, state: cb.state }, null, 2)}\n`);
      else out(`${cb.id}: ${cb.type} callback on ${cb.service} at ${isoUtc(cb.desiredTime)} (${engine.zones.format(cb.desiredTime, contact.tz, 'ccc d LLL HH:mm')} ${contact.tz}) for ${cb.customerNumber}, ${cb.state}\n`);
    });
  });
  callbacks.addCommand(list).addCommand(add).addCommand(reschedule).addCommand(cancel).addCommand(bookCmd);

  const slots = worldOptions(
    setup(new Command('slots'))
      .description('availability of a callback service (the GMS v2 answer with --json)')
      .option('--service <name>', 'the callback service', 'customer-care')
      .option('--start <date>', 'first day (YYYY-MM-DD in --tz) or an ISO instant (default: now)')
      .option('--days <n>', 'number of days', (v) => {
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 90) throw new InvalidArgumentError('expected a number of days from 1 to 90');
        return Number(v);
      }, 1)
      .option('--busy', 'report busy (full) slots too, with capacity 0')
      .option('--json', 'JSON: {durationMin, timezone, slots: [{utcTime, localTime, capacity, total}]}'),
  );
  slots.action((o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const svc = engine.state.services[o.service];
      if (!svc) throw new CommandError(`CallbackExceptionResource: no callback service "${o.service}" (services: ${Object.keys(engine.state.services).join(', ')})`);
      // --tz is the agent's zone; without it the service's own zone labels the slots.
      const tz: string = o.tz ?? svc.tz;
      let start = engine.now;
      if (o.start) {
        const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(o.start);
        const inst = parseInstant(o.start);
        if (day) {
          const t = engine.zones.instant(tz, { year: +day[1], month: +day[2], day: +day[3], hour: 0, minute: 0 });
          if (t === null) throw new CommandError(`--start ${o.start}: midnight does not exist in ${tz}`);
          start = t;
        } else if (inst !== null) start = inst;
        else throw new CommandError(`--start "${o.start}" is neither a date (YYYY-MM-DD) nor an ISO-8601 instant`);
      }
      const r = availability(engine, { service: o.service, start, days: o.days, timezone: tz, reportBusy: !!o.busy });
      if (!r.ok) throw new CommandError(r.error);
      if (o.json) {
        out(`${JSON.stringify(r.value, null, 2)}\n`);
        return;
      }
      out(`${o.service}: ${r.value.durationMin}-minute slots, ${svc.capacity} per slot, times in ${tz}\n`);
      let day = '';
      for (const s of r.value.slots) {
        const d = s.localTime.slice(0, 10);
        if (d !== day) {
          day = d;
          out(`${d}\n`);
        }
        out(`  ${s.localTime.slice(11, 16)}  ${s.utcTime}  ${s.capacity === 0 ? 'full' : `${s.capacity} of ${s.total} free`}\n`);
      }
      if (r.value.slots.length === 0) out('  no slots\n');
    });
  });
  const sim = setup(new Command('sim'))
    .description('run one outbound campaign with no screen and print its figures')
    .addOption(new Option('--mode <mode>', 'dialing mode').choices(['preview', 'push-preview', 'progressive', 'predictive']).default('predictive'))
    .option('--agents <n>', 'agents logged in', intIn(1, 2000), 50)
    .option('--hours <h>', 'simulated hours', numIn(0.01, 24 * 31), 8)
    .option('--hit-rate <p>', 'share of attempts a live person answers', numIn(0.001, 1), 0.3)
    .option('--talk <seconds>', 'mean talk time', numIn(1, 36000), 120)
    .option('--wrap <seconds>', 'mean wrap-up time', numIn(0, 36000), 10)
    .option('--target-abandon <r>', 'abandoned share of live answers to stay under', numIn(0.001, 0.5), 0.03)
    .option('--seed <n>', 'seed', intIn(0, 2 ** 32 - 1), 1)
    .option('--now <iso-instant>', 'simulated start (contact hours are read from here)', '2026-11-24T14:00:00Z')
    .option('--calling-list <file.csv>', 'a calling list in the OCS field names (default: a generated list that never runs dry)')
    .option('--json', 'print the figures as JSON');
  sim.action((o) => {
    const start = parseInstant(o.now);
    if (start === null) throw new CommandError(`--now "${o.now}" is not an ISO-8601 instant with a zone`);
    let callingList;
    if (o.callingList) {
      let text: string;
      try {
        text = fs.readFileSync(o.callingList, 'utf8');
      } catch (e) {
        throw new CommandError(`cannot read ${o.callingList}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      try {
        callingList = parseCallingListCsv(text, o.callingList, timeZones(), Math.floor(start / 1000));
      } catch (e) {
        if (e instanceof CallingListError) throw new CommandError(e.message);
        throw e;
      }
    }
    const f = runCampaignSim({ mode: o.mode, agents: o.agents, hours: o.hours, hitRate: o.hitRate, talkSec: o.talk, wrapSec: o.wrap, targetAbandon: o.targetAbandon, seed: o.seed, start: Math.floor(start / 1000), callingList });
    if (o.json) {
      out(`${JSON.stringify(f, null, 2)}\n`);
      return;
    }
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    out(
      [
        `${f.mode}: ${f.agents} agents, ${f.hours} h, hit rate ${o.hitRate}, talk ${o.talk} s, wrap ${o.wrap} s, target abandon ${pct(o.targetAbandon)}, seed ${o.seed}`,
        `attempts              ${f.attempts}`,
        `live answers          ${f.liveAnswers}`,
        `abandoned             ${f.abandoned}`,
        `abandon rate          ${pct(f.abandonRate)} (last hour ${pct(f.abandonRateLastHour)}, day ${pct(f.abandonRateDay)}, 30 days ${pct(f.abandonRate30Days)})`,
        `agent occupancy       ${pct(f.occupancy)}`,
        `talk min / agent hour ${f.talkMinutesPerAgentHour.toFixed(1)}`,
        `attempts by call_result:`,
        ...Object.entries(f.byResult).map(([code, n]) => `  ${code.padStart(2)} ${(CALL_RESULT_NAMES[Number(code)] ?? '').padEnd(27)} ${n}`),
      ].join('\n') + '\n',
    );
  });
  const campaigns = setup(new Command('campaigns')).description("a supervisor's view: list campaigns, move them through Loaded, Started, Stopped, Unloaded, change the dialing mode");
  const campaignsList = worldOptions(setup(new Command('list')).description('list the campaigns').option('--json', 'as JSON'));
  campaignsList.action((o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const list = Object.values(engine.state.campaigns).map((c) => ({
        id: c.id,
        name: c.name,
        status: c.status,
        dialing_mode: c.dialingMode,
        dialing_mode_name: DIALING_MODE_NAMES[c.dialingMode],
        delivery: deliveryMode(c.dialingMode),
        callback_policy: c.callbackPolicy,
      }));
      if (o.json) out(`${JSON.stringify(list, null, 2)}\n`);
      else for (const c of list) out(`${c.id.padEnd(16)} ${c.name.padEnd(17)} ${c.status.padEnd(9)} ${c.delivery.padEnd(9)} ${c.dialing_mode_name}\n`);
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
    const cmd = worldOptions(setup(new Command(verb)).description(what).argument('<campaign>', 'campaign name or id'));
    cmd.action((name: string, o) => {
      withWorld(worldOpts(o), realNow, (engine) => {
        const r = setCampaignStatus(engine, campaignOf(engine, name), status);
        if (!r.ok) throw new CommandError(r.error);
        out(`${r.value.name}: ${r.value.status}\n`);
      });
    });
    campaigns.addCommand(cmd);
  }
  const MODES: Record<string, DialingMode> = { preview: DialingMode.Preview, 'push-preview': DialingMode.PushPreview, progressive: DialingMode.Progressive, predictive: DialingMode.Predictive };
  const modeCmd = worldOptions(
    setup(new Command('mode'))
      .description('change the dialing mode, also while running')
      .argument('<campaign>', 'campaign name or id')
      .addArgument(new Argument('<mode>', 'dialing mode').choices(Object.keys(MODES))),
  );
  modeCmd.action((name: string, mode: string, o) => {
    withWorld(worldOpts(o), realNow, (engine) => {
      const r = setDialingMode(engine, campaignOf(engine, name), MODES[mode]);
      if (!r.ok) throw new CommandError(r.error);
      out(`${r.value.name}: ${DIALING_MODE_NAMES[r.value.dialingMode]}\n`);
    });
  });
  campaigns.addCommand(modeCmd);
  return [records, callbacks, slots, sim, campaigns];
}
