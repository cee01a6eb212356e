import { Command } from 'commander';
import { availability } from '../engine/genesys-callback.js';
import { CommandError, serviceOf, withWorld, type ScriptingContext } from './context.js';
import { intIn, nameArg, startArg, type StartArg } from './args.js';

/** `slots`: availability of a callback service (the GMS v2 answer with --json). */
export function slotsCommand(ctx: ScriptingContext): Command {
  const { worldOptions, out, json, setup } = ctx;
  const slots = worldOptions(
    setup(new Command('slots'))
      .description('availability of a callback service (the GMS v2 answer with --json)')
      .option('--service <name>', 'the callback service', nameArg('a service name'), 'customer-care')
      .option('--start <date>', 'first day (YYYY-MM-DD in --tz) or an ISO instant (default: now)', startArg)
      .option('--days <n>', 'number of days', intIn(1, 90, 'a number of days'), 1)
      .option('--busy', 'report busy (full) slots too, with capacity 0')
      .option('--json', 'JSON: {durationMin, timezone, slots: [{utcTime, localTime, capacity, total}]}'),
  );
  slots.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const svc = serviceOf(engine, o.service);
      // --tz is the agent's zone; without it the service's own zone labels the slots.
      const tz: string = o.tz ?? svc.tz;
      let start = engine.now;
      const given = o.start as StartArg | undefined;
      if (given && 'date' in given) {
        const t = engine.zones.instant(tz, { ...given.date, hour: 0, minute: 0 });
        if (t === null) throw new CommandError(`--start ${given.date.year}-${String(given.date.month).padStart(2, '0')}-${String(given.date.day).padStart(2, '0')}: midnight does not exist in ${tz}`);
        start = t;
      } else if (given) start = given.instant;
      const r = await engine.read((q) => availability(engine, q, { service: o.service, start, days: o.days, timezone: tz, reportBusy: !!o.busy }));
      if (!r.ok) throw new CommandError(r.error);
      if (o.json) {
        json(r.value);
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
  return slots;
}
