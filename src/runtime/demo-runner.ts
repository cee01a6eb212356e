import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { DEFAULT_AGENT_ID } from '../engine/demo-world.js';
import { keySequence } from '../screens/keys.js';
import { ScriptedClock } from './clock-driver.js';
import type { DemoScript } from './demo-script.js';
import { HeadlessTerminal, stripAnsi } from './headless-terminal.js';
import { renderDesk } from './render-desk.js';
import { preloadViews } from '../screens/lazy-views.js';
import { makePrivateDir, writePrivateFile } from '../store/private-files.js';

export interface DemoRunOptions {
  engine: Engine;
  script: DemoScript;
  agentTz: string;
  color: boolean;
  castFile?: string;
  framesDir?: string;
  title?: string;
}

export interface DemoResult {
  ok: boolean;
  expectations: number;
  snapshots: number;
  frames: number;
  failure?: { line: number; expected: string; screen: string };
}

/** Seconds of recording time a key, a typed character and an advance take in the cast. */
const KEY_PAUSE = 0.12;
const TYPE_PAUSE = 0.05;
const ADVANCE_PAUSE = 0.4;

/**
 * Runs a demo script against the real desktop in a headless terminal. Nothing here reads the
 * real clock: the simulation moves only on `advance`, and the cast's timestamps are counted
 * from the script, so the same script gives the same cast byte for byte.
 */
export async function runDemo(opts: DemoRunOptions): Promise<DemoResult> {
  const { engine, script } = opts;
  const columns = script.settings.columns ?? 100;
  const rows = script.settings.rows ?? 30;
  const term = new HeadlessTerminal(columns, rows);
  let t = 0;
  const cast: string[] = [];
  cast.push(
    JSON.stringify({
      version: 2,
      width: columns,
      height: rows,
      timestamp: Math.floor(engine.now / 1000),
      title: opts.title ?? 'callback-desk demo',
      env: { TERM: 'xterm-256color', SHELL: '/bin/sh' },
    }),
  );
  let lastCast = '';
  let frameNo = 0;
  if (opts.framesDir) makePrivateDir(opts.framesDir);
  const record = () => {
    const frame = term.lastFrame();
    if (frame === lastCast) return;
    lastCast = frame;
    // Home the cursor, draw each line over the old one and clear what is left below.
    const body = frame
      .split('\n')
      .map((l) => `${l}\x1b[K`)
      .join('\r\n');
    cast.push(JSON.stringify([Number(t.toFixed(3)), 'o', `\x1b[H${body}\x1b[J`]));
    if (opts.framesDir) {
      frameNo++;
      writePrivateFile(path.join(opts.framesDir, `frame-${String(frameNo).padStart(4, '0')}.txt`), `${term.screen()}\n`);
    }
  };

  const host = {
    engine,
    agentTz: opts.agentTz,
    clock: new ScriptedClock(() => engine.now),
    defaultAgent: script.settings.agent ?? DEFAULT_AGENT_ID,
    defaultPlace: 'Place_3101',
  };
  // Every view is loaded before the first key: a recording never shows one loading.
  await preloadViews();
  const instance = renderDesk(host, opts.color, { stdin: term.stdin, stdout: term.stdout }, true);
  let exited = false;
  void instance.waitUntilExit().then(() => {
    exited = true;
  });
  /**
   * Until the screen is still and the engine has nothing under way: a key's command, the
   * views' reads of the store and the frames they draw all finish before the script looks, so
   * a recording never depends on how fast the machine or the store answered.
   */
  const settle = async () => {
    for (let i = 0; i < 100; i++) {
      await engine.whenIdle();
      const before = term.frames.length;
      await term.settle();
      if (term.frames.length === before && engine.isIdle) return;
    }
  };
  // Clear the screen once at the start of the recording.
  cast.push(JSON.stringify([0, 'o', '\x1b[2J']));
  await settle();
  record();

  const result: DemoResult = { ok: true, expectations: 0, snapshots: 0, frames: 0 };
  const send = async (seq: string, pause: number) => {
    if (exited) return;
    term.stdin.write(seq);
    await settle();
    t += pause;
    record();
  };
  try {
    for (const step of script.steps) {
      switch (step.kind) {
        case 'key':
          await send(keySequence(step.key), KEY_PAUSE);
          break;
        case 'type':
          for (const ch of step.text) await send(ch === ' ' ? ' ' : ch, TYPE_PAUSE);
          break;
        case 'advance':
          if (exited) {
            // The desktop has quit: nothing moves.
          } else if (engine.owner) await engine.advanceBy(step.ms);
          else {
            // Another process hosts this state: its clock runs on its own; advance shows where
            // it stands now (and what changed meanwhile).
            await engine.sync();
            if (engine.hostClock) await engine.advanceTo(engine.hostClock.now);
          }
          await settle();
          t += ADVANCE_PAUSE;
          record();
          break;
        case 'wait':
          t += step.ms / 1000;
          break;
        case 'expect': {
          await settle();
          result.expectations++;
          const screen = term.screen();
          if (!screen.includes(step.text)) {
            result.ok = false;
            result.failure = { line: step.line, expected: step.text, screen };
            return result;
          }
          break;
        }
        case 'snapshot':
          await settle();
          result.snapshots++;
          if (opts.framesDir) writePrivateFile(path.join(opts.framesDir, `${step.name}.txt`), `${term.screen()}\n`);
          break;
      }
    }
    return result;
  } finally {
    result.frames = frameNo || cast.length - 2;
    if (!exited) instance.unmount();
    await term.settle(20);
    instance.cleanup();
    if (opts.castFile) {
      makePrivateDir(path.dirname(path.resolve(opts.castFile)));
      writePrivateFile(opts.castFile, `${cast.join('\n')}\n`);
    }
  }
}

export { stripAnsi };
