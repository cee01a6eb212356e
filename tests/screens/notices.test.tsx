import { afterEach, describe, expect, it } from 'vitest';
import { createWebCallback } from '../../src/engine/web-callback.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import type { Engine } from '../../src/engine/engine.js';
import { T0, allContacts, callbackCallOnDesk, demoEngine, interactionOf } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';
import { sqliteStoreError } from '../../src/store/sqlite-errors.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

type Desk = Awaited<ReturnType<typeof mountDesk>>;
// The line above the footer (a spare row keeps the frame off the terminal's last line).
const noticeLine = (d: Desk) => d.screen().split('\n').at(-3) ?? '';
const statusLine = (d: Desk) => d.screen().split('\n')[0];

/** Logged in on seed 7 at 100x30, Not Ready so that no dialer call arrives unasked. */
async function quietDesk(): Promise<Desk & { engine: Engine }> {
  const engine = await demoEngine(7);
  const d = await mountDesk(engine, { columns: 100, rows: 30 });
  cleanup = d.unmount;
  await d.keys('enter');
  await engine.setStatus('NotReady');
  await d.settle();
  return { ...d, engine };
}

async function webCallbackDue(engine: Engine) {
  const contact = (await allContacts(engine)).find((c) => c.tz === 'America/New_York')!;
  const it = await engine.exclusive(async () => createWebCallback(engine, contact.id, { from: engine.now + 60_000, till: engine.now + 31 * 60_000, to: (await engine.chainOf(contact.id))[0].contact_info }, 'Please call'));
  await engine.advanceBy(60_000);
  return { it, contact };
}

describe('the notice line is a queue (100x30, seed 7, 2026-11-24T15:00Z)', () => {
  it('shows an acknowledgement until the next key', async () => {
    const d = await quietDesk();
    await d.keys('n');
    expect(noticeLine(d)).toContain('» Status: Not Ready');
    await d.keys('3');
    expect(noticeLine(d).trim()).toBe('');
  });

  it('says the state file is busy for as long as another process holds it, and that a refused key was not saved', async () => {
    const d = await quietDesk();
    // Another process's write lock, as better-sqlite3 reports it when the wait runs out (in the
    // store's words: the store turns SQLite's errors into StoreErrors).
    const transaction = d.engine.store.transaction.bind(d.engine.store);
    d.engine.store.transaction = async () => {
      throw sqliteStoreError(Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' }), d.engine.store.location);
    };
    await d.keys('r');
    expect(noticeLine(d)).toContain('⏳ not saved: the state file is busy; try again when this line goes');
    expect(statusLine(d)).toContain('Not Ready');
    await d.keys('3');
    expect(noticeLine(d)).toContain('⏳ state file busy: another process is writing; nothing is saved until it ends');
    d.engine.store.transaction = transaction;
    await d.keys('r');
    expect(noticeLine(d)).toContain('» Status: Ready');
    expect(statusLine(d)).toContain('Ready');
  });

  it('lets an acknowledgement expire after five seconds of the clock', async () => {
    const d = await quietDesk();
    await d.keys('n');
    await d.engine.advanceBy(4000);
    await d.settle();
    expect(noticeLine(d)).toContain('» Status: Not Ready');
    await d.engine.advanceBy(2000);
    await d.settle();
    expect(noticeLine(d).trim()).toBe('');
  });

  it('puts an alerting interaction above an acknowledgement, and N opens it', async () => {
    const d = await quietDesk();
    const { contact } = await webCallbackDue(d.engine);
    await d.keys('n');
    expect(noticeLine(d)).toContain(`☎ Alerting: Web Callback · ${contact.firstName} ${contact.lastName} · N opens it`);
    await d.keys('N');
    expect(d.screen()).toContain('Web Callback Preview');
    // The alert is on screen now: the line does not repeat it.
    expect(noticeLine(d)).not.toContain('Alerting');
  });

  it('opens the alert with N from My Callbacks and a message too, and leaves N out of the footer when nothing alerts', async () => {
    const d = await quietDesk();
    expect(d.screen().split('\n').at(-1)).not.toContain('N alert');
    await webCallbackDue(d.engine);
    await d.keys('6');
    expect(d.screen()).toContain('My Callbacks');
    await d.keys('N');
    expect(d.screen()).toContain('Web Callback Preview');
  });

  it('says where an alert went when it timed out, on its message, never a dead link', async () => {
    const d = await quietDesk();
    const { it: web, contact } = await webCallbackDue(d.engine);
    await d.engine.advanceBy(31_000);
    await d.settle();
    expect((await interactionOf(d.engine, web.id))!.state).toBe('done');
    const m = (await d.engine.messagesFor('a.lopez')).find((x) => x.interactionId === web.id)!;
    expect(m.subject).toBe(`Web Callback due: ${contact.firstName} ${contact.lastName}`);
    expect(m.outcome).toBe('routed to another agent after 30 s');
    await d.keys('3', 'enter');
    expect(d.screen()).toContain('↪ routed to another agent after 30 s');
    expect(d.screen()).toContain('enter/esc close');
  });

  it('writes a message for an alert that timed out while the agent was free', async () => {
    const d = await quietDesk();
    await d.engine.setStatus('Ready');
    for (const ch of ['voice', 'chat', 'email', 'sms'] as const) await d.engine.setChannel(ch, 'NotReady');
    const { it: web } = await webCallbackDue(d.engine);
    await d.engine.advanceBy(31_000);
    await d.settle();
    const m = (await d.engine.messagesFor('a.lopez')).find((x) => x.interactionId === web.id)!;
    expect(m.subject).toMatch(/^Missed: Web Callback/);
    expect(m.outcome).toBe('routed to another agent after 30 s');
    expect(d.screen()).toContain('↪ Missed: Web Callback');
  });

  it('shows the real state and the time in it: Dialing, Talking, Wrap-up, Ready', async () => {
    const engine = await demoEngine(7);
    await callbackCallOnDesk(engine);
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'c');
    expect(statusLine(d)).toContain('☎ Dialing 00:00');
    await engine.advanceBy(30_000);
    await d.settle();
    expect(engine.openInteractions()[0].state).toBe('connected');
    expect(statusLine(d)).toMatch(/☎ Talking 00:\d\d/);
    await d.keys('e');
    await engine.advanceBy(12_000);
    await d.settle();
    expect(statusLine(d)).toContain('◐ Wrap-up 00:12');
    await engine.advanceTo(T0 + 3_600_000);
    await d.keys('d');
    expect(statusLine(d)).toMatch(/● Ready 00:00/);
  });
});

describe('after a call (100x30, seed 7)', () => {
  it('returns to Not Ready at Done when the agent was Not Ready before the call', async () => {
    const d = await quietDesk();
    await d.keys('2', 'down', 'down', 'down', 'enter', 'c');
    await d.engine.advanceBy(30_000);
    await d.keys('e');
    expect(statusLine(d)).toContain('◐ Wrap-up');
    await d.keys('d');
    expect(d.engine.state.agents['a.lopez'].status).toBe('NotReady');
    expect(statusLine(d)).toContain('○ Not Ready 00:00');
  });
});

describe('a due callback closed without a call (100x30, seed 7)', () => {
  it('asks before Done gives it up', async () => {
    const engine = await demoEngine(7);
    const { it } = await callbackCallOnDesk(engine);
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'd');
    expect(d.screen()).toContain(`Done without calling: the callback to`);
    await d.keys('n');
    expect((await interactionOf(engine, it.id))!.state).toBe('preview');
    await d.keys('d', 'y');
    expect((await interactionOf(engine, it.id))!.state).toBe('done');
  });
});

describe('keys go where the footer says (100x30, seed 7)', () => {
  it('types r, n, q and digits into the Team Communicator search, and gives them back in the list', async () => {
    const d = await quietDesk();
    await d.keys('4');
    await d.type('rnq1');
    expect(d.screen()).toContain('Search: rnq1');
    expect(d.engine.state.agents['a.lopez'].status).toBe('NotReady');
    expect(d.screen()).not.toContain('Quit callback-desk?');
    await d.keys('ctrl+u');
    await d.type('garcia');
    await d.keys('down', 'r');
    expect(d.engine.state.agents['a.lopez'].status).toBe('Ready');
    expect(d.screen()).toContain('Search: garcia');
  });

  it('moves the cursor inside a field and inserts there', async () => {
    const d = await quietDesk();
    await d.keys('4');
    await d.type('garca');
    await d.keys('left');
    await d.type('i');
    expect(d.screen()).toContain('Search: garcia');
  });

  it('lands on the contacts list after an Action, so the next digit is a key, not text', async () => {
    const d = await quietDesk();
    await d.keys('4');
    await d.type('garcia');
    await d.keys('enter', 'down', 'enter', 'esc', '2');
    expect(d.screen()).toContain('▸ My Campaigns');
    await d.keys('4');
    expect(d.screen()).toContain('Search: garcia');
  });

  it('takes a paste as text: its line break never acts as Enter', async () => {
    const d = await quietDesk();
    await d.keys('4');
    d.term.stdin.write('\x1b[200~gar\rcia\x1b[201~');
    await d.settle();
    expect(d.screen()).toContain('Search: gar cia');
    expect(d.screen()).not.toContain('Action ·');
    // Without the terminal's paste marks, a read with text after a line break is a paste too.
    await d.keys('ctrl+u');
    d.term.stdin.write('lo\npez');
    await d.settle();
    expect(d.screen()).toContain('Search: lo pez');
    expect(d.screen()).not.toContain('Action ·');
  });

  it('leaves unavailable keys out of the footer, shows them disabled with the reason in help and the toolbar, and says it', async () => {
    const d = await quietDesk();
    // A Manual Preview record of Care Follow-up: nothing is alerting, so "a accept" does not apply.
    await d.keys('2', 'down', 'down', 'down', 'enter');
    const footer = d.screen().split('\n').at(-1)!;
    expect(footer).toContain('c call');
    expect(footer).not.toContain('a accept');
    expect(footer).not.toContain('e end call');
    expect(d.screen()).toContain('c Call  e (End Call)  r Reschedule Callback  d Done');
    await d.keys('a');
    expect(noticeLine(d)).toContain('» nothing is alerting: accept is for pushed records (Push Preview)');
    await d.keys('e');
    expect(noticeLine(d)).toContain('» there is no call to end');
    await d.keys('?');
    expect(d.screen()).toMatch(/a\s+\(Accept a pushed record \(Push Preview\): not now, nothing is alerting/);
  });
});

describe('acknowledgements say what happened in words (issue 21)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`says "Record N done" after a call, and when a callback moved, at ${columns}x${rows}`, async () => {
      const engine = await demoEngine(7);
      const d = await mountDesk(engine, { columns, rows });
      cleanup = d.unmount;
      await d.keys('enter');
      await engine.setStatus('NotReady');
      await d.settle();
      await d.keys('2', 'down', 'down', 'down', 'enter', 'c');
      await engine.advanceBy(30_000);
      await d.keys('e', 'd');
      expect(noticeLine(d)).toMatch(/^» Record \d+ done\b/);
      // A record on the desk, a callback set a day on from the form's first time: said as the day
      // and time it now has (the protocol's name may follow, never lead).
      await callbackCallOnDesk(engine);
      await d.settle();
      await d.keys('5', 'enter', 'r', 'tab', 'right', 'esc', 'd');
      expect(noticeLine(d)).toMatch(/^» (Personal|Campaign) callback set for Thu 26 Nov \d\d:\d\d EST\b/);
    });
  }
});

describe('a campaign stopped while the agent works (issue 21)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`says so in My Messages, as a start is said, and My Campaigns shows it Stopped, at ${columns}x${rows}`, async () => {
      const engine = await demoEngine(7);
      const d = await mountDesk(engine, { columns, rows });
      cleanup = d.unmount;
      await d.keys('enter');
      await engine.setStatus('NotReady');
      const before = await engine.unreadCount('a.lopez');
      // A supervisor stops it (the same command as their key and the script's).
      expect((await setCampaignStatus(engine, 'policy-renewals', 'Stopped')).ok).toBe(true);
      await d.settle();
      const m = (await engine.messagesFor('a.lopez'))[0];
      expect(m).toMatchObject({ kind: 'campaign', subject: 'Campaign stopped: Policy Renewals', priority: 'high', read: false });
      expect(await engine.unreadCount('a.lopez')).toBe(before + 1);
      const s = d.screen();
      expect(s).toMatch(/Policy Renewals +■ Stopped/);
      expect(s).toContain(`My Messages (${before + 1} unread)`);
      // The news first: a narrow pane cuts the name, never the word stopped.
      expect(s).toMatch(/! Campaign stopped/);
      // Its records are not asked for: the key says why.
      await d.keys('2', 'down', 'enter');
      expect(noticeLine(d)).toContain('Policy Renewals is stopped');
    });
  }
});
