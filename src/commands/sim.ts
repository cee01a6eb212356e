import fs from 'node:fs';
import { Command, Option } from 'commander';
import { CALL_RESULT_NAMES } from '../engine/domain.js';
import { runCampaignSim } from '../engine/dialer/campaign-sim.js';
import { CallingListError, parseCallingListCsv } from '../engine/dialer/calling-list-csv.js';
import { secondsOfDay } from '../engine/time/time-zones.js';
import { timeZones } from '../runtime/world-host.js';
import { openPrivateFile } from '../store/private-files.js';
import { DATA_RULE, refusedIn } from '../runtime/visible-text.js';
import { CommandError, type ScriptingContext } from './context.js';
import { fileArg, instantArg, intIn, numIn, outFileArg } from './args.js';
import { shown } from './names.js';
import { decodeUtf8 } from './utf8-decoder.js';

/** `sim`: one outbound campaign run with no screen, its figures printed. */
export function simCommand(ctx: ScriptingContext): Command {
  const { out, json, setup } = ctx;
  const sim = setup(new Command('sim'))
    .description('run one outbound campaign with no screen and print its figures')
    .addOption(new Option('--mode <mode>', 'dialing mode').choices(['preview', 'push-preview', 'progressive', 'predictive']).default('predictive'))
    .option('--agents <n>', 'agents logged in', intIn(1, 10_000), 50)
    .option('--hours <h>', 'simulated hours', numIn(0.01, 24 * 31), 8)
    .option('--hit-rate <p>', 'share of attempts a live person answers', numIn(0.001, 1), 0.3)
    .option('--talk <seconds>', 'mean talk time', numIn(1, 36000), 120)
    .option('--wrap <seconds>', 'mean wrap-up time', numIn(0, 36000), 10)
    .option('--target-abandon <r>', 'abandoned share of live answers to stay under', numIn(0.001, 0.5), 0.03)
    .option('--seed <n>', 'seed', intIn(0, 2 ** 32 - 1), 1)
    .option('--now <iso-instant>', 'simulated start (contact hours are read from here)', instantArg('2026-11-24T14:00:00Z'), Date.UTC(2026, 10, 24, 14))
    .option('--calling-list <file.csv>', 'a calling list in the OCS field names (default: a generated list that never runs dry)', fileArg('--calling-list'))
    .option('--attempts <file.csv>', 'write every attempt as a CSV row: record_id,contact_info,tz,dialed_at,call_result,abandoned', outFileArg('--attempts'))
    .option('--json', 'print the figures as JSON (with hourly figures)');
  sim.action((o) => {
    const start: number = o.now;
    let callingList;
    if (o.callingList !== undefined) {
      let text: string;
      try {
        text = decodeUtf8(fs.readFileSync(o.callingList));
      } catch (e) {
        throw new CommandError(`cannot read ${shown(o.callingList, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      // As records import: no control character or invalid UTF-8 in any field.
      text.split(/\r?\n/).forEach((line, i) => {
        const bad = refusedIn(line);
        if (bad) throw new CommandError(`${o.callingList} line ${i + 1}: column ${bad.column}: ${bad.what}; ${DATA_RULE}`);
      });
      try {
        callingList = parseCallingListCsv(text, o.callingList, timeZones());
      } catch (e) {
        if (e instanceof CallingListError) throw new CommandError(e.message);
        throw e;
      }
    }
    const zones = timeZones();
    // The attempts log, written as the run goes (a big run has millions of rows).
    let log: { fd: number; buf: string } | undefined;
    if (o.attempts !== undefined) {
      try {
        log = { fd: openPrivateFile(o.attempts), buf: 'record_id,contact_info,tz,dialed_at,call_result,abandoned\n' };
      } catch (e) {
        throw new CommandError(`cannot write ${shown(o.attempts, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    const flush = () => {
      if (!log) return;
      fs.writeSync(log.fd, log.buf);
      log.buf = '';
    };
    const f = runCampaignSim({
      mode: o.mode,
      agents: o.agents,
      hours: o.hours,
      hitRate: o.hitRate,
      talkSec: o.talk,
      wrapSec: o.wrap,
      targetAbandon: o.targetAbandon,
      seed: o.seed,
      start,
      callingList,
      localSeconds: (tz, utc) => secondsOfDay(zones.toWall(tz, utc)),
      onAttempt: log
        ? (a) => {
            const r = a.record;
            log!.buf += `${r ? r.record_id : ''},${r ? r.contact_info : ''},${r ? r.tz : ''},${new Date(a.dialedAt).toISOString()},${a.callResult},${a.abandoned ? 1 : 0}\n`;
            if (log!.buf.length > 1 << 20) flush();
          }
        : undefined,
    });
    if (log) {
      flush();
      fs.closeSync(log.fd);
    }
    if (o.json) {
      json(f);
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
  return sim;
}
