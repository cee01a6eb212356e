import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { CALLBACK_TYPES, CALL_RESULT_NAMES, DIALING_MODE_NAMES, DialingMode, RecordType, deliveryMode, type CallbackService, type CampaignStatus } from '../engine/domain.js';
import { setCampaignStatus, setDialingMode } from '../engine/dialer/desk-dialer.js';
import { runCampaignSim } from '../engine/dialer/campaign-sim.js';
import { CallingListError, parseCallingListCsv } from '../engine/dialer/calling-list-csv.js';
import { secondsOfDay } from '../engine/time/time-zones.js';
import { availability, bookGenesysCallback, isoUtc, slotStarts } from '../engine/genesys-callback.js';
import { checkPhoneNumber } from '../engine/phone-numbers.js';
import { readDate, readInstant } from '../runtime/demo-script.js';
import type { Engine } from '../engine/engine.js';
import { cancelCallback, scheduleCallback, type ScriptedCallback } from '../engine/outbound.js';
import { explicitInstant, parseWhen } from '../engine/time/callback-time.js';
import type { TimeZones } from '../engine/time/time-zones.js';
import { openWorld, timeZones, type OpenWorld, type WorldOptions } from '../runtime/world-host.js';
import { openPrivateFile } from '../store/private-files.js';
import { controlProblem, nameProblem, nearestNames, noSuch, own, shown } from './names.js';
import { RECORD_HEADER, recordJson, recordLine } from './record-json.js';
import { DATA_RULE, refusedIn, visibleText } from '../runtime/visible-text.js';
import { decodeUtf8 } from './utf8-decoder.js';
import { RecordsIoError, exportRecords, importRecords, listRecords, parseRecordStatus, sinkFor } from './records-io.js';

/** A user error in a scripting command: one line on stderr, exit 2, nothing changed. */
export class CommandError extends Error {}

export interface ScriptingContext {
  worldOptions: (cmd: Command) => Command;
  worldOpts: (o: Record<string, unknown>) => WorldOptions;
  /** Text for people: control characters from data drawn visibly. */
  out: (s: string) => void;
  /** Warnings: the command still succeeds. */
  err: (s: string) => void;
  /** A value as JSON (pretty), safe for a terminal when stdout is one. */
  json: (value: unknown) => void;
  realNow: () => number;
  setup: (cmd: Command) => Command;
}

// ---- the form of every argument: numbers, ids, names, texts ---------------------------------

/** A whole number written in decimal digits, from min to max (no sign, hex, exponent or fraction). */
export function intIn(min: number, max: number, what = 'a whole number') {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected ${what} from ${min} to ${max} (decimal digits only)`);
    return Number(v);
  };
}

/** A plain decimal number (1, 0.5, .5), from min to max: no sign, hex, exponent, Infinity. */
export function numIn(min: number, max: number) {
  return (v: string) => {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected a plain decimal number from ${min} to ${max}`);
    return Number(v);
  };
}

/** Record ids, as the calling list and `records import` take them. */
const parseId = intIn(1, Number.MAX_SAFE_INTEGER, 'a record id, a whole number');

/** An id or a name (agent, campaign, service, contact): not empty, at most 64 characters. */
function nameArg(what: string) {
  return (v: string) => {
    const bad = nameProblem(v, what);
    if (bad) throw new InvalidArgumentError(bad);
    return v;
  };
}

/** Free text such as --at: not empty, one line, bounded. */
function textArg(what: string, max: number) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${what} cannot be empty`);
    if (v.length > max) throw new InvalidArgumentError(`${what} has at most ${max} characters (this one has ${v.length})`);
    const bad = controlProblem(v, what);
    if (bad) throw new InvalidArgumentError(bad);
    return v;
  };
}

/** A phone number as typed: digits, spaces and + ( ) - . / only, at most 32 characters. */
const phoneArg = (v: string) => {
  if (v.trim() === '') throw new InvalidArgumentError('a phone number cannot be empty');
  if (v.length > 32) throw new InvalidArgumentError(`a phone number has at most 32 characters (this one has ${v.length})`);
  if (/[^\d+() .\-/]/.test(v) || !/\d/.test(v)) throw new InvalidArgumentError('a phone number holds digits, spaces and + ( ) - . only, such as +1 212 555 0123');
  return v;
};

/** A file the command reads: a name, not empty. */
function fileArg(what: string) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${what} needs a file name (it was empty)`);
    if (v.length > 4096) throw new InvalidArgumentError(`a file name has at most 4096 characters (this one has ${v.length})`);
    return v;
  };
}

/** A file to write: a name, not a directory (its directory must exist). */
function outFileArg(what: string) {
  const name = fileArg(what);
  return (v: string) => {
    name(v);
    if (v.endsWith('/') || (fs.existsSync(v) && fs.statSync(v).isDirectory())) throw new InvalidArgumentError(`${what} ${v} is a directory; give a file name`);
    const dir = path.dirname(path.resolve(v));
    if (!fs.existsSync(dir)) throw new InvalidArgumentError(`the directory ${dir} does not exist`);
    return v;
  };
}

/** An ISO-8601 instant with its zone; the message names the field out of range. */
function instantArg(example: string) {
  return (v: string) => {
    const r = readInstant(v);
    if ('error' in r) throw new InvalidArgumentError(`not an ISO-8601 instant with a zone, such as ${example} (${r.error})`);
    return r.ms;
  };
}

/** slots --start: a date in --tz, or an instant. */
type StartArg = { date: { year: number; month: number; day: number } } | { instant: number };
function startArg(v: string): StartArg {
  const d = readDate(v);
  if (d && 'error' in d) throw new InvalidArgumentError(`expected a date YYYY-MM-DD or an ISO-8601 instant (${d.error})`);
  if (d) return { date: d };
  const i = readInstant(v);
  if ('error' in i) throw new InvalidArgumentError(`expected a date YYYY-MM-DD (such as 2026-11-25) or an ISO-8601 instant with a zone (such as 2026-11-25T14:00:00Z): ${i.error}`);
  return { instant: i.ms };
}

// ---- names that must exist ------------------------------------------------------------------

function campaignOf(engine: Engine, name: string): string {
  const all = Object.values(engine.state.campaigns);
  const c = all.find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
  if (!c) throw new CommandError(noSuch('campaign', name, all.flatMap((x) => [x.id, x.name])));
  return c.id;
}

function serviceOf(engine: Engine, name: string): CallbackService {
  const svc = own(engine.state.services, name);
  if (!svc) throw new CommandError(`CallbackExceptionResource: ${noSuch('callback service', name, Object.keys(engine.state.services))}`);
  return svc;
}

function checkAgent(engine: Engine, id: string): void {
  if (!own(engine.state.agents, id)) throw new CommandError(noSuch('agent', id, Object.keys(engine.state.agents)));
}

/** Contacts may be many: the nearest ids are looked for among all of a small table, else among the neighbours in id order. */
function contactCandidates(engine: Engine, id: string): Promise<string[]> {
  return engine.read(async (q) => {
    const all = await q.contacts.ids(20001);
    return all.length <= 20000 ? all : q.contacts.idsNear(id, 200);
  });
}

// ---- a damaged row, found after the fact -----------------------------------------------------

/** What is wrong with one row of the state file, looked for with plain SQL (read only). */
function findDamagedRow(db: Database.Database, zones: TimeZones, hint: string): string | null {
  type Row = Record<string, unknown>;
  const one = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Row | undefined;
  const badJson = (col: string, type: 'array' | 'object') => `CASE WHEN json_valid(${col}) THEN json_type(${col}) <> '${type}' ELSE 1 END`;
  const what = (r: Row, col: string, want: string) => `${col} is ${r[col] === null ? 'NULL' : shown(String(r[col]))}, not ${want}`;

  // The calling list: the column types, treatments (a JSON array), the zone, the campaign and agent.
  const ints = ['contact_info_type', 'record_type', 'record_status', 'call_result', 'attempt', 'daily_from', 'daily_till', 'tz_dbid', 'chain_id', 'chain_n'];
  const nullableInts = ['dial_sched_time', 'call_time'];
  const texts = ['contact_info', 'tz', 'campaign_id', 'group_id', 'contact_id'];
  const clRow = (where: string, ...params: unknown[]) => one(`SELECT * FROM calling_list WHERE ${where} ORDER BY record_id LIMIT 1`, ...params);
  const rowName = (r: Row) => `calling_list row record_id ${String(r.record_id)}`;
  // The zone named in the error first: that is the row the command tripped on.
  const named = /unknown time zone "([^"]*)"/.exec(hint)?.[1];
  if (named !== undefined) {
    const r = clRow('tz = ?', named) ?? undefined;
    if (r) return `${rowName(r)} is damaged (tz ${shown(named)} is not a time zone)`;
    const c = one('SELECT id FROM contact WHERE tz = ? ORDER BY id LIMIT 1', named);
    if (c) return `contact row id ${String(c.id)} is damaged (tz ${shown(named)} is not a time zone)`;
  }
  let r = clRow(
    [
      ...ints.map((c) => `typeof(${c}) <> 'integer'`),
      ...nullableInts.map((c) => `typeof(${c}) NOT IN ('integer', 'null')`),
      ...texts.map((c) => `typeof(${c}) <> 'text'`),
      badJson('treatments', 'array'),
    ].join(' OR '),
  );
  if (r) {
    const row = r;
    const col =
      ints.find((c) => typeof row[c] !== 'number' || !Number.isInteger(row[c])) ??
      nullableInts.find((c) => row[c] !== null && (typeof row[c] !== 'number' || !Number.isInteger(row[c])));
    if (col) return `${rowName(row)} is damaged (${what(row, col, 'a whole number')})`;
    const t = texts.find((c) => typeof row[c] !== 'string');
    if (t) return `${rowName(row)} is damaged (${what(row, t, 'text')})`;
    return `${rowName(row)} is damaged (${what(row, 'treatments', 'a JSON array')})`;
  }
  for (const z of db.prepare('SELECT DISTINCT tz FROM calling_list').pluck().all() as string[]) {
    if (!zones.has(z)) {
      r = clRow('tz = ?', z);
      if (r) return `${rowName(r)} is damaged (tz ${shown(z)} is not a time zone)`;
    }
  }
  r = clRow("campaign_id NOT IN (SELECT id FROM entity WHERE kind = 'campaign')");
  if (r) return `${rowName(r)} is damaged (campaign_id ${shown(String(r.campaign_id))} is not a campaign)`;
  r = clRow("agent_id IS NOT NULL AND agent_id NOT IN (SELECT id FROM entity WHERE kind = 'agent')");
  if (r) return `${rowName(r)} is damaged (agent_id ${shown(String(r.agent_id))} is not an agent)`;

  // Contacts: names and zone as text, the zone known, fields a JSON object.
  const c = one(`SELECT * FROM contact WHERE typeof(first_name) <> 'text' OR typeof(last_name) <> 'text' OR typeof(tz) <> 'text' OR typeof(email) <> 'text' OR ${badJson('fields', 'object')} ORDER BY id LIMIT 1`);
  if (c) {
    const col = ['first_name', 'last_name', 'tz', 'email'].find((k) => typeof c[k] !== 'string');
    return `contact row id ${String(c.id)} is damaged (${col ? what(c, col, 'text') : what(c, 'fields', 'a JSON object')})`;
  }
  for (const z of db.prepare('SELECT DISTINCT tz FROM contact').pluck().all() as string[]) {
    if (!zones.has(z)) {
      const row = one('SELECT id FROM contact WHERE tz = ? ORDER BY id LIMIT 1', z);
      if (row) return `contact row id ${String(row.id)} is damaged (tz ${shown(z)} is not a time zone)`;
    }
  }
  // The JSON rows: configuration, bookings, interactions, messages.
  const e = one(`SELECT kind, id, body FROM entity WHERE ${badJson('body', 'object')} ORDER BY kind, id LIMIT 1`);
  if (e) return `entity row ${String(e.kind)} id ${String(e.id)} is damaged (${what(e, 'body', 'a JSON object')})`;
  for (const table of ['gms_callback', 'interaction', 'message']) {
    const b = one(`SELECT id, body FROM ${table} WHERE ${badJson('body', 'object')} ORDER BY id LIMIT 1`);
    if (b) return `${table} row id ${String(b.id)} is damaged (${what(b, 'body', 'a JSON object')})`;
  }
  return null;
}

/**
 * An error no command expected (a SyntaxError out of a row's JSON, a TypeError, an unknown
 * zone in a row): the damaged row it came from, named by table and id, or at least that the
 * state file has one. Null when the error does not look like damage; the file is only read.
 */
export function describeDamage(file: string, e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const sqlite = e.name === 'SqliteError' ? (e as Error & { code?: string }).code : undefined;
  // A page of the file itself: no row to name.
  if (sqlite === 'SQLITE_CORRUPT' || sqlite === 'SQLITE_NOTADB') return `${file} is damaged (${e.message}); it was left as it was: restore a backup`;
  const jsonInSql = sqlite !== undefined && /JSON/i.test(e.message);
  if (!jsonInSql && ![Error, SyntaxError, TypeError, RangeError].includes(e.constructor as ErrorConstructor)) return null;
  let found: string | null = null;
  try {
    // Read-write but query-only: a read-only connection to a WAL file would leave its -wal and
    // -shm behind; this one, the last to close, removes them as the store does.
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma('query_only = 1');
    } catch {
      db = new Database(file, { readonly: true, fileMustExist: true });
    }
    try {
      found = findDamagedRow(db, timeZones(), e.message);
    } finally {
      db.close();
    }
  } catch {
    found = null;
  }
  const advice = `${file} was left as it was: correct or delete the row with sqlite3, or restore a backup`;
  if (found) return `${found}; ${advice}`;
  if (e instanceof SyntaxError || e instanceof TypeError || jsonInSql) return `the state file has a damaged row (${e.message}); ${advice}`;
  return null;
}

export function scriptingCommands(ctx: ScriptingContext): Command[] {
  const { worldOptions, worldOpts, out, json, realNow, setup } = ctx;

  /**
   * The state file, opened. A scripting command that had to create it says so on stderr: a
   * mistyped --state would otherwise look like an answer about the file meant.
   */
  const open = async (o: Record<string, unknown>): Promise<OpenWorld> => {
    const opts = worldOpts(o);
    const world = await openWorld(opts, realNow, false);
    if (world.created && !opts.ephemeral) {
      const what = world.store.backend === 'sqlite' ? 'did not exist; created it' : 'was empty; created the callback-desk tables in it';
      ctx.err(`callback-desk: note: ${world.store.location} ${what} with a new demo world (seed ${opts.seed})\n`);
    }
    return world;
  };

  /** A scripting command's world: every change its own transaction; the store closed after. */
  const withWorld = async <T>(o: Record<string, unknown>, fn: (engine: Engine) => T | Promise<T>): Promise<T> => {
    const { engine, store } = await open(o);
    try {
      return await fn(engine);
    } finally {
      await store.close();
    }
  };

  const records = setup(new Command('records')).description('the calling lists (OCS records with their chains)');
  // The records commands stream (list, export) or run long (import): async, on an open world,
  // straight to process.stdout so that back-pressure and a closed pipe (EPIPE) are handled.
  const onWorld = async (o: Record<string, unknown>, fn: (world: OpenWorld) => Promise<void>) => {
    const world = await open(o);
    try {
      await fn(world);
    } catch (e) {
      if (e instanceof RecordsIoError) throw new CommandError(e.message);
      throw e;
    } finally {
      await world.store.close();
    }
  };
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
    await onWorld(o, async ({ engine }) => {
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
    await onWorld(o, async (world) => {
      const campaign = world.engine.state.campaigns[campaignOf(world.engine, o.campaign)];
      const r = await importRecords(world, { file, campaign, skipBad: !!o.skipBad, newIds: !!o.newIds, stderr: process.stderr });
      out(`imported ${r.imported} record${r.imported === 1 ? '' : 's'} into ${campaign.name} (${r.skipped} skipped)\n`);
    });
  });
  const recordsExport = worldOptions(
    setup(new Command('export'))
      .description("write a campaign's calling list to stdout (streamed): CSV that `records import` reads back, or JSON lines")
      .requiredOption('--campaign <name>', 'the campaign (name or id)', nameArg('a campaign name or id'))
      .addOption(new Option('--format <format>', 'csv (the import\'s field names, with the contact\'s names and custom fields) or jsonl').choices(['csv', 'jsonl']).default('csv')),
  );
  recordsExport.action(async (o) => {
    await onWorld(o, async (world) => {
      const campaign = world.engine.state.campaigns[campaignOf(world.engine, o.campaign)];
      await exportRecords(world, campaign, o.format, sinkFor(process.stdout, o.format));
    });
  });
  records.addCommand(recordsList).addCommand(recordsImport).addCommand(recordsExport);

  const callbacks = setup(new Command('callbacks')).description('outbound callbacks (records of type 5 Personal and 6 Campaign Callback) and Genesys Callback bookings');
  const list = worldOptions(
    setup(new Command('list'))
      .description('list callbacks: outbound (calling-list) callbacks, then open Genesys Callback bookings')
      .option('--gms', 'only the Genesys Callback bookings (with --json: in the GMS names)')
      .option('--json', 'JSON: the calling-list callbacks in the calling-list field names (or, with --gms, the bookings)'),
  );
  list.action(async (o) => {
    await withWorld(o, async (engine) => {
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
    await withWorld(o, async (engine) => {
      if (add.getOptionValueSource('agent') === 'cli') checkAgent(engine, o.agent);
      await book(engine, o, { recordId: o.record, personal: o.personal ? true : o.campaign ? false : undefined, agentId: o.agent, phone: o.phone, replace: !!o.replace });
    });
  });

  const reschedule = worldOptions(whenOptions(setup(new Command('reschedule')).description('move an open callback to another time').argument('<id>', 'record id of the callback', parseId)));
  reschedule.action(async (id: number, o) => {
    await withWorld(o, async (engine) => {
      const r = await engine.read((q) => q.records.get(id));
      if (!r || (r.record_type !== RecordType.PersonalCallback && r.record_type !== RecordType.CampaignCallback)) throw new CommandError(r ? `record ${id} is not a callback (record_type ${r.record_type})` : `no record ${id}`);
      await book(engine, o, { recordId: id, personal: r.record_type === RecordType.PersonalCallback, agentId: r.agent_id ?? 'a.lopez', replace: true });
    });
  });

  const cancel = worldOptions(setup(new Command('cancel')).description('cancel an open callback (RecordCancel)').argument('<id>', 'record id of the callback', parseId));
  cancel.action(async (id: number, o) => {
    await withWorld(o, async (engine) => {
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
    await withWorld(o, async (engine) => {
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
    await withWorld(o, async (engine) => {
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
  const campaigns = setup(new Command('campaigns')).description("a supervisor's view: list campaigns, move them through Loaded, Started, Stopped, Unloaded, change the dialing mode");
  const campaignsList = worldOptions(setup(new Command('list')).description('list the campaigns').option('--json', 'as JSON'));
  campaignsList.action(async (o) => {
    await withWorld(o, (engine) => {
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
      await withWorld(o, async (engine) => {
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
    await withWorld(o, async (engine) => {
      const r = await setDialingMode(engine, campaignOf(engine, name), MODES.get(mode)!);
      if (!r.ok) throw new CommandError(r.error);
      out(`${r.value.name}: ${DIALING_MODE_NAMES[r.value.dialingMode]}\n`);
    });
  });
  campaigns.addCommand(modeCmd);
  return [records, callbacks, slots, sim, campaigns];
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
