import { Command, Option } from 'commander';
import { CALLBACK_TYPES, RecordType, type CallbackService } from '../engine/domain.js';
import { bookGenesysCallback, isoUtc, slotStarts } from '../engine/genesys-callback.js';
import { checkPhoneNumber } from '../engine/phone-numbers.js';
import type { Engine } from '../engine/engine.js';
import { cancelCallback, scheduleCallback, type ScriptedCallback } from '../engine/outbound.js';
import { explicitInstant, parseWhen } from '../engine/time/callback-time.js';
import { visibleText } from '../runtime/visible-text.js';
import { CommandError, checkAgent, contactCandidates, serviceOf, withWorld, type ScriptingContext } from './context.js';
import { instantArg, nameArg, parseId, phoneArg, textArg } from './args.js';
import { noSuch, shown } from './names.js';
import { RECORD_HEADER, recordJson, recordLine } from './record-json.js';

/** `callbacks list | add | reschedule | cancel | book`: outbound callbacks and Genesys Callback bookings. */
export function callbacksCommand(ctx: ScriptingContext): Command {
  const { worldOptions, out, json, setup } = ctx;
  const callbacks = setup(new Command('callbacks')).description('outbound callbacks (records of type 5 Personal and 6 Campaign Callback) and Genesys Callback bookings');
  const list = worldOptions(
    setup(new Command('list'))
      .description('list callbacks: outbound (calling-list) callbacks, then open Genesys Callback bookings')
      .option('--gms', 'only the Genesys Callback bookings (with --json: in the GMS names)')
      .option('--json', 'JSON: the calling-list callbacks in the calling-list field names (or, with --gms, the bookings)'),
  );
  list.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const gms = await engine.read((q) => q.gcallbacks.open(1_000_000));
      const gmsJson = (cb: (typeof gms)[number]) => ({ id: cb.id, service: cb.service, contact: cb.contactId, _customer_number: cb.customerNumber, _desired_time: isoUtc(cb.desiredTime), type: cb.type, state: cb.state, booked_by: cb.bookedBy });
      if (o.gms) {
        if (o.json) json(gms.map(gmsJson));
        else out(gms.length ? `${gms.map(gmsLine).join('\n')}\n` : 'no open Genesys Callback bookings\n');
        return;
      }
      const cbs = await engine.read((q) => q.records.callbacks(1_000_000));
      if (o.json) {
        json(cbs.map((r) => recordJson(r, engine.zones)));
        return;
      }
      out(cbs.length ? `${RECORD_HEADER}\n${cbs.map((r) => recordLine(r, engine.zones)).join('\n')}\n` : 'no outbound callbacks\n');
      out(gms.length ? `\nGenesys Callback bookings (open)\n${gms.map(gmsLine).join('\n')}\n` : '\nno open Genesys Callback bookings\n');
    });
  });
  /** One open booking for people: id, service, slot, customer, state. */
  const gmsLine = (cb: { id: string; service: string; desiredTime: number; contactId: string | null; customerNumber: string; type: string; state: string; bookedBy: string }) =>
    visibleText([cb.id.padEnd(8), cb.service.padEnd(14), isoUtc(cb.desiredTime).padEnd(21), (cb.contactId ?? '-').padEnd(7), cb.customerNumber.padEnd(15), cb.type.padEnd(24), cb.state.padEnd(10), cb.bookedBy].join(' '));

  const whenOptions = (cmd: Command) =>
    cmd
      .requiredOption('--at <text>', 'when: "tomorrow 3pm", "next monday 10:00", "in 2 hours", "2026-12-01 10:00"', textArg('--at', 200))
      .addOption(new Option('--earlier', 'in the fall-back hour, the first of the two times').conflicts('later'))
      .addOption(new Option('--later', 'in the fall-back hour, the second of the two times').conflicts('earlier'))
      .option('--json', 'print the booked record as JSON');

  const book = async (engine: Engine, o: Record<string, unknown>, s: Omit<ScriptedCallback, 'when' | 'tz' | 'overlap'>) => {
    const base = await engine.read((q) => q.records.get(s.recordId));
    if (!base) throw new CommandError(`no record ${s.recordId}`);
    // --at is read in --tz (the agent's zone) when given, else in the contact's zone.
    const tz = (o.tz as string | undefined) ?? base.tz;
    const when = parseWhen(String(o.at), engine.now, tz, engine.zones);
    if (!when) throw new CommandError(`cannot read --at ${shown(String(o.at))} as a date and time (such as "tomorrow 3pm", "2026-12-01 10:00" or 2026-12-01T15:00:00Z)`);
    const r = await scheduleCallback(engine, { ...s, when, tz, overlap: o.earlier ? 'earlier' : o.later ? 'later' : undefined });
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
    if (o.json) json({ ...recordJson(rec, engine.zones), at_read_in: readIn });
    else {
      const at = rec.dialSchedAt!;
      out(`record ${rec.record_id}: ${rec.record_type === RecordType.PersonalCallback ? `Personal Callback (agent ${rec.agent_id})` : 'Campaign Callback'} at ${engine.zones.format(at, rec.tz, 'yyyy-LL-dd HH:mm')} ${rec.tz} = ${new Date(at).toISOString()} (--at read in ${readIn})\n`);
    }
  };

  const add = worldOptions(
    whenOptions(setup(new Command('add')).description('book a callback on a record (RecordReschedule)'))
      .requiredOption('--record <id>', 'the record to call back', parseId)
      .addOption(new Option('--personal', 'a Personal Callback (back to --agent)').conflicts('campaign'))
      .addOption(new Option('--campaign', 'a Campaign Callback (any agent of the campaign)').conflicts('personal'))
      .option('--phone <number>', "call back on this number of the contact's chain", phoneArg)
      .option('--agent <id>', 'the agent who owns a personal callback', nameArg('an agent id'), 'a.lopez')
      .option('--replace', "move the record's open callback instead of refusing a second one"),
  );
  add.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      if (add.getOptionValueSource('agent') === 'cli') checkAgent(engine, o.agent);
      await book(engine, o, { recordId: o.record, personal: o.personal ? true : o.campaign ? false : undefined, agentId: o.agent, phone: o.phone, replace: !!o.replace });
    });
  });

  const reschedule = worldOptions(whenOptions(setup(new Command('reschedule')).description('move an open callback to another time').argument('<id>', 'record id of the callback', parseId)));
  reschedule.action(async (id: number, o) => {
    await withWorld(ctx, o, async (engine) => {
      const r = await engine.read((q) => q.records.get(id));
      if (!r || (r.record_type !== RecordType.PersonalCallback && r.record_type !== RecordType.CampaignCallback)) throw new CommandError(r ? `record ${id} is not a callback (record_type ${r.record_type})` : `no record ${id}`);
      await book(engine, o, { recordId: id, personal: r.record_type === RecordType.PersonalCallback, agentId: r.agent_id ?? 'a.lopez', replace: true });
    });
  });

  const cancel = worldOptions(setup(new Command('cancel')).description('cancel an open callback (RecordCancel)').argument('<id>', 'record id of the callback', parseId));
  cancel.action(async (id: number, o) => {
    await withWorld(ctx, o, async (engine) => {
      const r = await cancelCallback(engine, id);
      if (!r.ok) throw new CommandError(r.error);
      out(`record ${id}: callback cancelled (record_status 5 Cancelled)\n`);
    });
  });
  const bookCmd = worldOptions(
    setup(new Command('book'))
      .description('book a Genesys Callback in a slot of a service')
      .requiredOption('--service <name>', 'the callback service', nameArg('a service name'))
      .requiredOption('--contact <id>', 'the contact (as in Team Communicator, such as C0042)', nameArg('a contact id'))
      .requiredOption('--slot <iso>', 'start of the slot, an ISO-8601 instant such as 2026-11-25T14:00:00Z', instantArg('2026-11-25T14:00:00Z'))
      .addOption(new Option('--type <type>', 'callback type').choices([...CALLBACK_TYPES]).default('Scheduled'))
      .option('--number <phone>', "the customer's number (default: the contact's first)", phoneArg)
      .option('--json', 'print the booking as JSON'),
  );
  bookCmd.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const svc = serviceOf(engine, o.service);
      const contact = await engine.read((q) => q.contacts.get(o.contact));
      if (!contact) throw new CommandError(noSuch('contact', o.contact, await contactCandidates(engine, o.contact)));
      const slot: number = o.slot;
      if (o.type !== 'Immediate') checkSlotStart(engine, o.service, svc, slot);
      let number = (await engine.read((q) => q.records.ofContact(contact.id)))[0]?.contact_info;
      if (o.number !== undefined) {
        const p = checkPhoneNumber(o.number, contact.tz);
        if (!p.ok) throw new CommandError(`--number: ${p.error}`);
        number = p.e164;
      }
      if (!number) throw new CommandError(`contact ${o.contact} has no number; pass --number`);
      const r = await bookGenesysCallback(engine, { service: o.service, contactId: contact.id, customerNumber: number, type: o.type, slot, bookedBy: 'script' });
      if (!r.ok) throw new CommandError(r.error);
      const cb = r.value;
      if (o.json) json({ id: cb.id, service: cb.service, _customer_number: cb.customerNumber, _desired_time: isoUtc(cb.desiredTime), type: cb.type, state: cb.state });
      else out(`${cb.id}: ${cb.type} callback on ${cb.service} at ${isoUtc(cb.desiredTime)} (${engine.zones.format(cb.desiredTime, contact.tz, 'ccc d LLL HH:mm')} ${contact.tz}) for ${cb.customerNumber}, ${cb.state}\n`);
    });
  });
  callbacks.addCommand(list).addCommand(add).addCommand(reschedule).addCommand(cancel).addCommand(bookCmd);
  return callbacks;
}

/**
 * --slot must be the start of one of the service's slots: one that is not (10:07 in 15-minute
 * slots, or a closed hour) is refused naming the nearest starts that can still be booked.
 */
function checkSlotStart(engine: Engine, name: string, svc: CallbackService, slot: number): void {
  const DAY = 86_400_000;
  const starts = slotStarts(engine.zones, svc, slot - 8 * DAY, slot + 8 * DAY);
  if (starts.includes(slot)) return;
  const when = (t: number) => `${isoUtc(t)} (${engine.zones.format(t, svc.tz, 'ccc d LLL HH:mm')})`;
  const near = starts
    .filter((t) => t >= engine.now)
    .sort((a, b) => Math.abs(a - slot) - Math.abs(b - slot) || a - b)
    .slice(0, 2)
    .sort((a, b) => a - b);
  const len = svc.slotMinutes * 60_000;
  const inside = starts.some((t) => slot > t && slot < t + len);
  const why = inside ? `${name} has ${svc.slotMinutes}-minute slots` : `${name} is closed at ${engine.zones.format(slot, svc.tz, 'ccc d LLL HH:mm')}`;
  const given = new Date(slot).toISOString().replace('.000Z', 'Z');
  throw new CommandError(
    `--slot ${given} is not the start of a slot (${why}); ${near.length ? `nearest slot starts: ${near.map(when).join(', ')}` : `no slot that can still be booked (from ${isoUtc(engine.now)}, the state's clock) lies within 8 days of it`}`,
  );
}
