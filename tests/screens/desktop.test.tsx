import { afterEach, describe, expect, it } from 'vitest';
import { demoEngine, allContacts } from '../helpers/world.js';
import { chainOf, mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function desk(opts: Parameters<typeof mountDesk>[1] = {}, seed = 7) {
  const engine = await demoEngine(seed);
  const d = await mountDesk(engine, opts);
  cleanup = d.unmount;
  return { engine, ...d };
}

describe('desktop screens (80x24, seed 7, 2026-11-24T15:00Z, America/New_York)', () => {
  it('renders the login screen', async () => {
    const d = await desk();
    expect(d.screen()).toMatchSnapshot();
  });

  it('logs in to the main window with campaigns, messages and channels', async () => {
    const d = await desk();
    await d.keys('enter');
    const s = d.screen();
    expect(s).toContain('My Campaigns (4)');
    expect(s).toContain('My Messages (3 unread)');
    expect(s).toContain('voice');
    expect(s).toContain('Tue 24 Nov 10:00:00 EST');
    expect(s.split('\n').length).toBeLessThanOrEqual(23);
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(s).toMatchSnapshot();
  });

  it('shows an error for an unknown agent and stays on login', async () => {
    const d = await desk();
    for (let i = 0; i < 7; i++) await d.keys('backspace');
    await d.type('nobody');
    await d.keys('enter');
    expect(d.screen()).toContain('unknown agent "nobody"');
    expect(d.screen()).toContain('agent login');
  });

  it('opens help with ? listing this view, the main window and global keys, and closes it', async () => {
    const d = await desk();
    await d.keys('enter', '?');
    const s = d.screen();
    expect(s).toContain('Keyboard help');
    expect(s).toContain('This view: My Campaigns');
    expect(s).toContain('Main window');
    // Scrolled down (a bounded number of lines) to the global keys, after every view's own.
    for (let i = 0; i < 30 && !d.screen().includes('Global'); i++) await d.keys('down');
    expect(d.screen()).toContain('Global');
    expect(d.screen()).toContain('Quit (asks for confirmation)');
    await d.keys('esc');
    expect(d.screen()).not.toContain('Keyboard help');
  });

  it('shows the zone name beside the clock on a wide terminal', async () => {
    const d = await desk({ columns: 120, rows: 40 });
    await d.keys('enter');
    expect(d.screen()).toContain('Tue 24 Nov 2026 10:00:00 EST America/New_York');
  });

  it('asks before quitting', async () => {
    const d = await desk();
    await d.keys('enter', 'q');
    expect(d.screen()).toContain('Quit callback-desk?');
    await d.keys('n');
    expect(d.screen()).toContain('My Campaigns');
  });

  it('reads a message, which lowers the unread count', async () => {
    const d = await desk();
    await d.keys('enter', '3', 'enter');
    expect(d.screen()).toContain('You are assigned to campaign');
    await d.keys('esc');
    expect(d.screen()).toContain('My Messages (2 unread)');
  });

  it('finds a contact in Team Communicator and shows its numbers with types and hours', async () => {
    const d = await desk();
    const c = (await allContacts(d.engine))[3];
    await d.keys('enter', '4');
    await d.type(c.lastName);
    expect(d.screen()).toContain(`${c.firstName} ${c.lastName}`);
    await d.keys('enter');
    expect(d.screen()).toContain('View contact');
    expect(d.screen()).toContain('New Callback');
    await d.keys('down', 'enter');
    const first = (await chainOf(d.engine, c.id))[0];
    expect(d.screen()).toContain(first.contact_info);
    expect(d.screen()).toMatch(/\d\d:\d\d-\d\d:\d\d/);
  });

  it('shows alerting chats as they arrive and lets the agent accept one', async () => {
    const d = await desk({}, 11);
    await d.keys('enter');
    await d.engine.setChannel('voice', 'NotReady');
    // A chat arrives within the simulated hours of seed 11: a bounded wait, never an endless loop.
    for (let minute = 0; minute < 24 * 60 && d.engine.openInteractions().length === 0; minute++) await d.engine.advanceBy(60_000);
    expect(d.engine.openInteractions().length).toBeGreaterThan(0);
    await d.settle();
    await d.keys('5');
    expect(d.screen()).toContain('Alerting');
    await d.keys('a');
    expect(d.screen()).toContain('Connected');
  });

  it('says the terminal is too small below 80x24, and recovers on resize', async () => {
    const d = await desk({ columns: 70, rows: 20 });
    expect(d.screen()).toContain('terminal too small (needs 80x24)');
    d.term.resize(80, 24);
    await d.settle();
    expect(d.screen()).toContain('agent login');
  });

  it('uses no colour in NO_COLOR mode, and colour otherwise', async () => {
    const plain = await desk({ color: false });
    await plain.keys('enter');
    expect(plain.term.lastFrame()).not.toMatch(/\x1b\[3\dm/);
    plain.unmount();
    const coloured = await desk({ color: true });
    await coloured.keys('enter');
    expect(coloured.term.lastFrame()).toMatch(/\x1b\[3\dm/);
  });
});
