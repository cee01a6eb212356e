import fs from 'node:fs';
import { Command, Option } from 'commander';
import { CommandError, campaignOf, withWorld, type ScriptingContext } from './context.js';
import { fileArg, intIn, nameArg, textArg } from './args.js';
import { nearestNames, shown } from './names.js';
import { exportRecords } from './records/export.js';
import { importRecords } from './records/import.js';
import { sinkFor } from './records/line-sink.js';
import { listRecords, parseRecordStatus } from './records/list.js';

/**
 * `records list | import | export`: the calling lists at volume, on either database. They
 * stream (list, export) or run long (import), straight to process.stdout and stderr so that
 * back-pressure and a closed pipe (EPIPE) are handled.
 */
export function recordsCommand(ctx: ScriptingContext): Command {
  const { worldOptions, out, setup } = ctx;
  const records = setup(new Command('records')).description('the calling lists (OCS records with their chains)');
  const recordsList = worldOptions(
    setup(new Command('list'))
      .description('list calling-list records, in record_id order (streamed)')
      .option('--campaign <name>', 'only this campaign (name or id)', nameArg('a campaign name or id'))
      .option('--zone <zone>', 'only contacts in this IANA zone', textArg('a time zone', 64))
      .option('--status <status>', 'only this record_status: Ready, Retrieved, Updated, Stale, Cancelled, AgentError, ChainUpdated, MissedCallback, ChainReady (or its number)', parseRecordStatus)
      .option('--limit <n>', 'at most n records', intIn(1, 1_000_000_000))
      .addOption(new Option('--json', 'JSON in the calling-list field names').conflicts('jsonl'))
      .addOption(new Option('--jsonl', 'one JSON object per line (JSON Lines)').conflicts('json')),
  );
  recordsList.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const campaign = o.campaign !== undefined ? campaignOf(engine, o.campaign) : undefined;
      if (o.zone !== undefined && !engine.zones.has(o.zone)) {
        const near = nearestNames(o.zone, engine.zones.db.names(), 5, true);
        throw new CommandError(`unknown time zone ${shown(o.zone)} (use an IANA name such as America/New_York${near.length ? `; nearest: ${near.join(', ')}` : ''})`);
      }
      const format = o.jsonl ? 'jsonl' : o.json ? 'json' : 'table';
      await listRecords(engine, { campaignId: campaign, tz: o.zone, status: o.status, limit: o.limit, format }, sinkFor(process.stdout, format));
    });
  });
  const recordsImport = worldOptions(
    setup(new Command('import'))
      .description('import a calling list from a CSV in the calling-list field names: every row or, on a bad row, none (one transaction)')
      .argument('<file.csv>', 'header line: contact_info, daily_from, daily_till, tz, optional record_id, record_type, record_status, chain_id... and custom fields', fileArg('records import'))
      .requiredOption('--campaign <name>', 'the campaign the records join (name or id)', nameArg('a campaign name or id'))
      .option('--skip-bad', 'skip bad lines (listed on stderr) and import the rest')
      .option('--new-ids', "new record_id, chain_id and contact ids instead of the CSV's (rows with one chain_id stay one chain): a copy beside the original"),
  );
  recordsImport.action(async (file: string, o) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      if (fs.statSync(file).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    } catch (e) {
      throw new CommandError(`cannot read ${shown(file, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    await withWorld(ctx, o, async (engine) => {
      const campaign = engine.state.campaigns[campaignOf(engine, o.campaign)];
      const r = await importRecords(engine, { file, campaign, skipBad: !!o.skipBad, newIds: !!o.newIds, stderr: process.stderr });
      out(`imported ${r.imported} record${r.imported === 1 ? '' : 's'} into ${campaign.name} (${r.skipped} skipped)\n`);
    });
  });
  const recordsExport = worldOptions(
    setup(new Command('export'))
      .description("write a campaign's calling list to stdout (streamed): CSV that `records import` reads back, or JSON lines")
      .requiredOption('--campaign <name>', 'the campaign (name or id)', nameArg('a campaign name or id'))
      .addOption(new Option('--format <format>', "csv (the import's field names, with the contact's names and custom fields) or jsonl").choices(['csv', 'jsonl']).default('csv')),
  );
  recordsExport.action(async (o) => {
    await withWorld(ctx, o, async (engine) => {
      const campaign = engine.state.campaigns[campaignOf(engine, o.campaign)];
      await exportRecords(engine, campaign, o.format, sinkFor(process.stdout, o.format));
    });
  });
  return records.addCommand(recordsList).addCommand(recordsImport).addCommand(recordsExport);
}
