// Long on purpose: the command line's parsing, the desktop's fast start and the top-level
// commands; every scripting group is a file of src/commands/.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_AGENT_ID } from './engine/demo-world.js';
import { StoreError } from './engine/store-port.js';
import { isPostgresUrl } from './store/state-location.js';
import { nameProblem, nearestNames, noSuch, shown } from './commands/names.js';
import { DemoScriptError, MAX_SEED, parseDemoScript, readInstant } from './runtime/demo-script.js';
import { openWorld, statePath, zoneDatabase, type WorldOptions } from './runtime/world-host.js';
import { colorWanted } from './screens/theme.js';
import { terminalJson, visibleLines, visibleText } from './runtime/visible-text.js';
import { decodeUtf8 } from './commands/utf8-decoder.js';
import { COMMAND_GROUPS } from './commands/groups.js';

export const VERSION = '0.1.0';

export interface CliIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  realNow: () => number;
}

/** A user error: one line on stderr and exit code 2. */
export class UsageError extends Error {}

/**
 * A refused option value. Commander knows its own InvalidArgumentError by this code; this one
 * is defined here so the plain desktop start does not load commander.
 */
class InvalidArgumentError extends Error {
  readonly code = 'commander.invalidArgument';
  readonly exitCode = 1;
}

function parseZone(value: string): string {
  const bad = nameProblem(value, 'a time zone');
  if (bad) throw new InvalidArgumentError(bad);
  if (!zoneDatabase().get(value)) {
    const near = nearestNames(value, zoneDatabase().names(), 5, true);
    throw new InvalidArgumentError(`unknown time zone ${shown(value)} (use an IANA name such as America/New_York${near.length ? `; nearest: ${near.join(', ')}` : ''})`);
  }
  return value;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > MAX_SEED) throw new InvalidArgumentError(`the seed must be a whole number from 0 to ${MAX_SEED}`);
  return Number(value);
}

function parseNow(value: string): number {
  const t = readInstant(value);
  if ('error' in t) throw new InvalidArgumentError(`expected an ISO-8601 instant with a zone, such as 2026-11-24T15:00:00Z (${t.error})`);
  return t.ms;
}

function parseSpeed(value: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || Number(value) > 100_000) throw new InvalidArgumentError('the speed must be a number from 0 (paused) to 100000, in plain decimal digits');
  return Number(value);
}

function parseAgent(value: string): string {
  const bad = nameProblem(value, 'an agent id');
  if (bad) throw new InvalidArgumentError(bad);
  return value;
}

/** A file or directory the command writes (--cast, --frames): a name, not empty. */
function outputPath(what: string) {
  return (value: string) => {
    if (value.trim() === '') throw new InvalidArgumentError(`${what} needs a name (it was empty)`);
    return value;
  };
}

/**
 * One line for stderr, whatever the message holds: line breaks become spaces, other control
 * characters (from a name in the state file, say) their visible signs, and a message grown long
 * on a value the user gave keeps its head and its tail.
 */
export function oneLine(message: string, max = 1000): string {
  const s = visibleText(message.replace(/\s*[\r\n]+\s*/g, ' ')).trim();
  return s.length <= max ? s : `${s.slice(0, Math.floor(max * 0.6))} … ${s.slice(s.length - Math.floor(max * 0.3))}`;
}

/** commander's error, on one line, with the value it quotes cut short (a 100,000-character id). */
function commanderLine(str: string, cmd?: Command): string {
  // A group's unknown subcommand, named with the group and what the group has.
  const unknown = /unknown command '([^']*)'/.exec(str);
  if (unknown && cmd && cmd.commands.length > 0 && cmd.parent) {
    const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
    return `unknown command "${cmd.name()} ${oneLine(unknown[1])}" (${cmd.name()} commands: ${names.join(', ')})`;
  }
  const m = /^([\s\S]*?argument ')([\s\S]*)(' is invalid\.[\s\S]*)$/.exec(str) ?? /^([\s\S]*?value ')([\s\S]*)(' is invalid for argument[\s\S]*)$/.exec(str);
  const s = m ? `${m[1].slice(0, -1)}${shown(m[2])}${m[3].slice(1)}` : str.replace(/'([^'\n]{41,})'/g, (_all, v: string) => shown(v));
  return oneLine(s.replace(/^error: /, ''));
}

/** The system's zone: $TZ, else /etc/localtime's link, else ICU's guess (slowest to start). */
function systemZone(env: NodeJS.ProcessEnv): string {
  const known = (z: string | undefined): z is string => !!z && !!zoneDatabase().get(z);
  const fromEnv = env.TZ?.replace(/^:/, '');
  if (known(fromEnv)) return fromEnv;
  try {
    const link = /zoneinfo\/(.+)$/.exec(fs.readlinkSync('/etc/localtime'))?.[1];
    if (known(link)) return link;
  } catch {
    // Not a link (or no file): ask ICU.
  }
  const icu = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return known(icu) ? icu : 'UTC';
}

/** The options every command shares, with one meaning everywhere. */
function worldOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'seed of the simulation (a new state only)', parseSeed, 1)
    .option('--now <iso-instant>', 'simulated start instant of a new state (default: the real time)', parseNow)
    .option('--tz <zone>', "the agent's IANA time zone (the desktop keeps it with the state; default: the one kept, else the system's)", parseZone)
    .option('--state <file>', 'state file (default: $XDG_DATA_HOME/callback-desk/state.db)')
    .option('--ephemeral', 'keep everything in memory; nothing is saved');
}

interface CommonOpts extends WorldOptions {
  tz?: string;
}

/** The state file the command works on, once its options are read: a damaged row is looked for there. */
let stateInUse: string | undefined;

function worldOpts(o: CommonOpts): WorldOptions {
  const wo = { seed: o.seed, now: o.now, tz: o.tz, state: checkStatePath(o.state), ephemeral: o.ephemeral };
  const state = wo.ephemeral ? undefined : statePath(wo);
  // A damaged row is looked for in the state (a file or a database) after an error no command expected.
  stateInUse = state;
  return wo;
}

/**
 * --state names a file (not empty, not a directory) or a PostgreSQL URL. What is wrong with an
 * existing one is the store's to say.
 */
function checkStatePath(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (isPostgresUrl(file)) return file;
  if (file.trim() === '') throw new UsageError('--state needs a file name (it was empty)');
  if (file.endsWith('/') || file.endsWith(path.sep)) throw new UsageError(`--state ${file} names a directory (it ends in "/"); give a file such as ${path.join(file, 'state.db')}`);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new UsageError(`--state ${file} is a directory; give a file such as ${path.join(file, 'state.db')}`);
  if (st && !st.isFile()) throw new UsageError(`--state ${file} is not a regular file (a device or a pipe cannot hold a state)`);
  return file;
}

type DesktopOpts = CommonOpts & { agent: string; speed: number };

/** Starts the desktop: the root command's action. */
async function startDesktop(io: CliIO, o: DesktopOpts, color: boolean): Promise<number> {
  if (!io.stdinIsTTY || !io.stdoutIsTTY) {
    throw new UsageError('the desktop needs an interactive terminal (stdin and stdout must be a TTY); to drive it headless, run `callback-desk demo SCRIPT`');
  }
  // A desktop on a state follows its host's clock; it hosts only while no other process does
  // (runtime/team-roles.ts). In memory (--ephemeral) it is alone: it hosts from the start.
  // A new world's first campaign figures are put in once the first frame is up (runDesktop).
  const world = await openWorld(worldOpts(o), io.realNow, !!o.ephemeral, { firstFiguresLater: true });
  if (!Object.hasOwn(world.engine.state.agents, o.agent)) {
    await world.store.close();
    throw new UsageError(`--agent: ${noSuch('agent', o.agent, Object.keys(world.engine.state.agents))}`);
  }
  if (!o.ephemeral) {
    // The same agent at two desktops is refused, naming where it is logged in.
    const { loggedInElsewhere } = await import('./runtime/team-roles.js');
    const { thisProcess } = await import('./store/processes.js');
    const where = await loggedInElsewhere(world.engine, world.store, o.agent, thisProcess(), Date.now());
    if (where) {
      await world.store.close();
      throw new UsageError(where);
    }
  }
  world.engine.resumeAs(o.agent);
  const { runDesktop } = await import('./runtime/desktop.js');
  return runDesktop({ world, tz: o.tz, systemZone: () => systemZone(io.env), agent: o.agent, speed: o.speed, color });
}

const DESKTOP_VALUE_OPTIONS: Record<string, (value: string) => unknown> = {
  '--seed': parseSeed,
  '--now': parseNow,
  '--tz': parseZone,
  '--state': (v) => v,
  '--agent': parseAgent,
  '--speed': parseSpeed,
};

/**
 * The plain desktop start (`callback-desk [--state F] [--tz Z] ...`, each option once, every
 * value valid), read without commander, so the desktop's first frame does not wait for it
 * to load and build the whole command line. Anything else, and every value that is refused,
 * is left to commander: null.
 */
function plainDesktopStart(argv: string[]): DesktopOpts | null {
  const o: Record<string, unknown> = { seed: 1, agent: DEFAULT_AGENT_ID, speed: 1 };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (seen.has(a)) return null;
    seen.add(a);
    if (a === '--ephemeral') {
      o.ephemeral = true;
      continue;
    }
    const parse = Object.hasOwn(DESKTOP_VALUE_OPTIONS, a) ? DESKTOP_VALUE_OPTIONS[a] : undefined;
    const value = argv[i + 1];
    if (!parse || value === undefined || value.startsWith('-')) return null;
    try {
      o[a.slice(2)] = parse(value);
    } catch {
      return null;
    }
    i++;
  }
  return o as unknown as DesktopOpts;
}

export async function runCli(io: CliIO): Promise<number> {
  // Text for people (answers, tables, messages) shows control characters from data as visible
  // signs, wherever it goes; JSON stays JSON, with DEL and C1 escaped on a terminal, where a
  // terminal would act on them (runtime/visible-text.ts).
  const out = (s: string) => io.stdout.write(visibleLines(s));
  const err = (s: string) => io.stderr.write(visibleLines(s));
  const json = (value: unknown) => {
    const text = JSON.stringify(value, null, 2);
    io.stdout.write(`${io.stdoutIsTTY ? terminalJson(text) : text}\n`);
  };
  const color = colorWanted(io.env);
  let exitCode = 0;
  stateInUse = undefined;
  CommandErrorClass = undefined;

  const plain = plainDesktopStart(io.argv);
  if (plain) {
    try {
      return await startDesktop(io, plain, color);
    } catch (e) {
      return failure(e, io, err);
    }
  }
  const { Command, CommanderError, Option } = await import('commander');

  const program = new Command('callback-desk');
  const setup = (cmd: Command) =>
    cmd.exitOverride().configureOutput({
      writeOut: out,
      writeErr: err,
      outputError: (str, write) => write(`callback-desk: ${commanderLine(str, cmd)}\n`),
    });
  setup(program);
  program
    .description('Keyboard-only terminal agent desktop for outbound campaigns and contact-center callbacks')
    .version(`callback-desk ${VERSION} (tzdata ${zoneDatabase().version} from ${zoneDatabase().source})`, '-V, --version', 'print the version and the tzdata release in use')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError(false)
    // Options belong to the command they follow: `demo x.demo --state f` is demo's --state.
    .enablePositionalOptions();
  worldOptions(program)
    .option('--agent <id>', 'agent id to log in as', parseAgent, DEFAULT_AGENT_ID)
    .addOption(new Option('--speed <x>', 'simulated seconds per real second (0 pauses); an invitation alerts at least 30 real seconds').argParser(parseSpeed).default(1))
    .action(async (o: DesktopOpts) => {
      exitCode = await startDesktop(io, o, color);
    });

  const demo = setup(new Command('demo'))
    .description('run the desktop headless from a demo script (deterministic; in memory unless --state is given)')
    .argument('<script>', 'demo script file', outputPath('demo SCRIPT'))
    .option('--cast <file>', 'write an asciicast v2 recording', outputPath('--cast'))
    .option('--frames <dir>', 'write every frame, and each `snapshot`, as plain text files', outputPath('--frames'));
  worldOptions(demo).action(async (scriptFile: string, o: CommonOpts & { cast?: string; frames?: string }) => {
    let source: string;
    try {
      source = decodeUtf8(fs.readFileSync(scriptFile));
    } catch (e) {
      throw new UsageError(`cannot read demo script ${shown(scriptFile, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let script;
    try {
      script = parseDemoScript(source, (z) => !!zoneDatabase().get(z));
    } catch (e) {
      if (e instanceof DemoScriptError) throw new UsageError(`${scriptFile}: ${e.message}`);
      throw e;
    }
    const s = script.settings;
    const wo = worldOpts(o);
    if (!wo.state || wo.ephemeral) stateInUse = undefined;
    const shared = !!wo.state && !wo.ephemeral;
    // On a state of its own (in memory) the demo hosts its world from the start; on a state
    // others may share it hosts while no other process does, else it follows the host.
    const world = await openWorld(
      {
        ...wo,
        ephemeral: wo.state ? wo.ephemeral : true,
        seed: s.seed ?? wo.seed,
        now: s.now ?? wo.now ?? Date.UTC(2026, 10, 24, 15, 0, 0),
      },
      io.realNow,
      !shared,
    );
    // The agent of the login form must exist, named by the script's line.
    if (s.agent !== undefined && !Object.hasOwn(world.engine.state.agents, s.agent)) {
      await world.store.close();
      throw new UsageError(`${scriptFile}: line ${script.settingLines.agent}: ${noSuch('agent', s.agent, Object.keys(world.engine.state.agents))}`);
    }
    let roles: import('./runtime/team-roles.js').TeamRoles | undefined;
    if (shared) {
      const { TeamRoles } = await import('./runtime/team-roles.js');
      const { thisProcess } = await import('./store/processes.js');
      roles = new TeamRoles({ engine: world.engine, store: world.store, me: thisProcess(), role: 'desktop', realNow: Date.now });
      await roles.step();
      if (!roles.hosting) {
        const held = await world.store.team.host();
        err(`callback-desk: note: ${world.store.location} is hosted by pid ${held?.pid ?? '?'} on ${held?.host ?? '?'}: this demo follows its clock (advance shows where it stands, and moves nothing)\n`);
      }
      roles.start();
    }
    const { runDemo } = await import('./runtime/demo-runner.js');
    try {
      const r = await runDemo({
        engine: world.engine,
        script,
        agentTz: s.tz ?? o.tz ?? 'America/New_York',
        color,
        castFile: o.cast,
        framesDir: o.frames,
        title: `callback-desk: ${scriptFile}`,
      });
      if (!r.ok && r.failure) {
        err(`${scriptFile}:${r.failure.line}: expected "${r.failure.expected}" on the screen; the screen was:\n${r.failure.screen}\n`);
        exitCode = 1;
        return;
      }
      out(`${scriptFile}: ${r.expectations} expectations held, ${r.snapshots} snapshots, ${r.frames} frames${o.cast ? `, cast ${o.cast}` : ''}\n`);
    } finally {
      if (world.engine.owner) await world.engine.commit();
      await roles?.stop();
      await world.store.close();
    }
  });
  program.addCommand(demo);

  const host = setup(new Command('host'))
    .description("run the world of a team's state with no screen: its clock, the dialer, simulated customers and colleagues, every timer (one host at a time; it waits while another hosts, and takes over when that one stops)")
    .addOption(new Option('--speed <x>', 'simulated seconds per real second (0 pauses); an invitation alerts at least 30 real seconds').argParser(parseSpeed).default(1));
  worldOptions(host).action(async (o: CommonOpts & { speed: number }) => {
    if (o.ephemeral) throw new UsageError('host --ephemeral would host a world in memory that no desktop can reach; give --state (a file or a postgres:// URL)');
    const world = await openWorld(worldOpts(o), io.realNow, false);
    const { runHost } = await import('./runtime/host.js');
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    exitCode = await runHost({ world, speed: o.speed, out: (line) => out(`${line}\n`), stopped });
  });
  program.addCommand(host);

  const supervisor = setup(new Command('supervisor')).description(
    "a supervisor's screen over a team's state: agents and the time in their state, campaigns' live figures and the keys to start, stop, change mode and abandon target, callbacks due in the next hour, pending logouts (it never hosts the world)",
  );
  worldOptions(supervisor).action(async (o: CommonOpts) => {
    if (o.ephemeral) throw new UsageError('supervisor --ephemeral would watch a world in memory that nobody works on; give --state (a file or a postgres:// URL)');
    if (!io.stdinIsTTY || !io.stdoutIsTTY) throw new UsageError('the supervisor needs an interactive terminal (stdin and stdout must be a TTY); for scripts, use `agents list`, `campaigns list` and `calls list`');
    const world = await openWorld(worldOpts(o), io.realNow, false);
    const { runSupervisor } = await import('./runtime/supervisor.js');
    exitCode = await runSupervisor({ world, tz: o.tz ?? systemZone(io.env), color });
  });
  program.addCommand(supervisor);
  // The scripting command groups (src/commands/groups.ts) are loaded only when asked for (or
  // for help): the desktop starts without parsing them.
  const SCRIPTING = COMMAND_GROUPS.map((g) => g.name);
  const wantsHelp = io.argv.some((a) => a === '-h' || a === '--help' || a === 'help');
  if (io.argv.some((a) => SCRIPTING.includes(a)) || wantsHelp) {
    const { CommandError } = await import('./commands/context.js');
    CommandErrorClass = CommandError;
    const ctx = { worldOptions, worldOpts: (o: Record<string, unknown>) => worldOpts(o as unknown as CommonOpts), out, err, json, realNow: io.realNow, setup };
    for (const make of await Promise.all(COMMAND_GROUPS.map((g) => g.load()))) program.addCommand(make(ctx));
  }

  // The first word that is not an option (or an option's value) names the command.
  const COMMANDS = ['demo', 'host', 'supervisor', ...SCRIPTING, 'help'];
  const VALUE_OPTIONS = new Set(['--seed', '--now', '--tz', '--state', '--agent', '--speed']);
  let at = 0;
  while (at < io.argv.length && io.argv[at].startsWith('-')) at += VALUE_OPTIONS.has(io.argv[at]) ? 2 : 1;
  const first = io.argv[at];
  if (first !== undefined && !COMMANDS.includes(first)) {
    err(`callback-desk: unknown command "${first}" (commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')}; none starts the desktop)\n`);
    return 2;
  }
  // World options given before a command apply to it exactly as after it; the desktop's own
  // (--agent, --speed) before another command are refused rather than dropped.
  program.hook('preAction', (_root, action) => {
    if (action === program) return;
    for (const name of ['agent', 'speed']) {
      if (program.getOptionValueSource(name) === 'cli') throw new UsageError(`--${name} before "${action.name()}" is the desktop's option; put the options of "${action.name()}" after it`);
    }
    for (const name of ['seed', 'now', 'tz', 'state', 'ephemeral']) {
      if (program.getOptionValueSource(name) !== 'cli') continue;
      const before = program.getOptionValue(name);
      if (action.getOptionValueSource(name) === 'cli' && action.getOptionValue(name) !== before) {
        throw new UsageError(`--${name} is given twice with different values (before and after "${action.name()}")`);
      }
      action.setOptionValueWithSource(name, before, 'cli');
    }
  });

  refuseRepeatedOptions(program);
  try {
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    return failure(e, io, err);
  }
  return exitCode;
}

/**
 * An option given twice in one place is refused: commander would take the last one silently
 * (`--state a.db --state b.db` worked on b.db). None of ours is repeatable. World options given
 * both before and after a command are a separate case (the preAction hook compares them).
 */
function refuseRepeatedOptions(cmd: Command): void {
  for (const opt of cmd.options) {
    let seen = false;
    cmd.on(`option:${opt.name()}`, () => {
      if (seen) throw new UsageError(`${opt.long ?? opt.short} is given twice${cmd.parent ? ` to "${commandPath(cmd)}"` : ''}; give it once`);
      seen = true;
    });
  }
  for (const sub of cmd.commands) refuseRepeatedOptions(sub);
}

/** "records list": a command's words below the program's. */
function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** Set when the scripting commands are loaded: their refusals are usage errors too. */
let CommandErrorClass: (new (m: string) => Error) | undefined;

/** A command's failure: a refusal is one line and exit code 2; anything else is thrown on. */
async function failure(e: unknown, io: CliIO, err: (s: string) => void): Promise<number> {
  // A store's refusal (busy, full, damaged, not ours, unreachable) is the user's to act on too.
  if (e instanceof UsageError || e instanceof StoreError || (CommandErrorClass && e instanceof CommandErrorClass)) {
    err(`callback-desk: ${oneLine(e.message)}\n`);
    return 2;
  }
  // Not a refusal: a row of the state file that cannot be read (damaged by hand, say) is
  // named by its table and id rather than surfacing as a TypeError.
  if (stateInUse !== undefined) {
    const { describeDamage } = await import('./commands/damage.js');
    const damage = await describeDamage(stateInUse, e);
    if (damage) {
      err(`callback-desk: ${oneLine(damage)}\n`);
      if (io.env.CALLBACK_DESK_DEBUG) err(`${(e as Error).stack}\n`);
      return 2;
    }
  }
  throw e;
}
