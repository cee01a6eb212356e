import { Command, Option } from 'commander';
import { CALL_RESULT_NAMES, type CallLogEntry } from '../engine/domain.js';
import { isoUtc } from '../engine/genesys-callback.js';
import { campaignOf, checkAgent, withWorld, type ScriptingContext } from './context.js';
import { instantArg, nameArg } from './args.js';
import { sinkFor } from './records/line-sink.js';

/** An instant of the log as JSON: ISO-8601 UTC, or null when it did not happen. */
const at = (ms: number | null) => (ms === null ? null : isoUtc(ms));

/**
 * A call-log row as `calls list --json/--jsonl` writes it: the table's column names, instants in
 * ISO-8601 UTC, call_result as its OCS code (call_result_name beside it for people).
 */
export function callJson(c: CallLogEntry): Record<string, unknown> {
  return {
    call_id: c.call_id,
    record_id: c.record_id,
    campaign_id: c.campaign_id,
    agent_id: c.agent_id,
    mode: c.mode,
    started_at: at(c.started_at),
    delivered_at: at(c.delivered_at),
    dialled_at: at(c.dialled_at),
    connected_at: at(c.connected_at),
    ended_at: at(c.ended_at),
    call_result: c.call_result,
    call_result_name: c.call_result === null ? null : (CALL_RESULT_NAMES[c.call_result] ?? null),
    disposition: c.disposition,
    rescheduled_at: at(c.rescheduled_at),
  };
}

const COLUMNS: [string, number][] = [
  ['call_id', 10],
  ['record_id', 9],
  ['campaign_id', 18],
  ['agent_id', 12],
  ['mode', 17],
  ['started_at', 20],
  ['connected_at', 20],
  ['ended_at', 20],
  ['call_result', 26],
];

/**
 * One row of the table: the instants a person reads first, the result by name; disposition last
 * (free text). The sink draws control characters from the data visibly (sinkFor).
 */
function callLine(c: CallLogEntry): string {
  const cells = [
    c.call_id,
    String(c.record_id),
    c.campaign_id,
    c.agent_id ?? '-',
    c.mode,
    isoUtc(c.started_at),
    c.connected_at === null ? '-' : isoUtc(c.connected_at),
    c.ended_at === null ? '-' : isoUtc(c.ended_at),
    c.call_result === null ? '-' : `${c.call_result} ${CALL_RESULT_NAMES[c.call_result] ?? ''}`.trim(),
  ];
  return `${cells.map((v, i) => v.padEnd(COLUMNS[i][1])).join(' ')} ${c.disposition ?? '-'}`;
}

/** `calls list`: the call log, streamed in the order calls started. */
export function callsCommand(ctx: ScriptingContext): Command {
  const { worldOptions, setup } = ctx;
  const calls = setup(new Command('calls')).description('the call log: every delivery of a record to an agent and every attempt on one');
  const list = worldOptions(
    setup(new Command('list'))
      .description('list the call log in the order calls started (streamed): call id, record, campaign, agent, mode, the instants, call_result, disposition')
      .option('--campaign <name>', 'only this campaign (name or id)', nameArg('a campaign name or id'))
      .option('--agent <id>', 'only the calls of this agent', nameArg('an agent id'))
      .option('--since <instant>', 'only calls started at or after this ISO-8601 instant', instantArg('2026-11-24T15:00:00Z'))
      .addOption(new Option('--json', 'a JSON array in the call_log column names').conflicts('jsonl'))
      .addOption(new Option('--jsonl', 'one JSON object per line (JSON Lines)').conflicts('json')),
  );
  list.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const campaignId = o.campaign !== undefined ? campaignOf(engine, o.campaign as string) : undefined;
      if (o.agent !== undefined) checkAgent(engine, o.agent as string);
      const format = o.jsonl ? 'jsonl' : o.json ? 'json' : 'table';
      const sink = sinkFor(process.stdout, format);
      if (format === 'table') sink.push(`${COLUMNS.map(([name, w]) => name.padEnd(w)).join(' ')} disposition\n`);
      let n = 0;
      for await (const c of engine.store.bulk.listCalls({ campaignId, agentId: o.agent as string | undefined, since: o.since as number | undefined })) {
        let s: string;
        if (format === 'jsonl') s = `${JSON.stringify(callJson(c))}\n`;
        else if (format === 'json') s = `${n === 0 ? '[\n' : ',\n'}  ${JSON.stringify(callJson(c))}`;
        else s = `${callLine(c)}\n`;
        n++;
        // A reader that left (| head) ends the loop, and with it the query.
        if (sink.push(s) && !(await sink.flush())) return;
      }
      if (format === 'json') sink.push(n === 0 ? '[]\n' : '\n]\n');
      await sink.flush();
    });
  });
  calls.addCommand(list);
  return calls;
}
