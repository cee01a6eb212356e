import { afterEach, describe, expect, it } from 'vitest';
import { createWebCallback } from '../../src/engine/web-callback.js';
import type { Engine } from '../../src/engine/engine.js';
import { T0, allContacts, callbackCallOnDesk, demoEngine, genesysCallbackDue } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';
import { layoutProblems } from '../helpers/layout.js';

type Desk = Awaited<ReturnType<typeof mountDesk>>;

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const SIZES = [
  [80, 24],
  [100, 30],
  [120, 40],
] as const;

/** Logged in through the login screen, on seed 7 at 2026-11-24T15:00Z. */
const loggedIn = async (d: Desk) => d.keys('enter');

/** An OCS callback of Care Follow-up delivered to the agent, its window open. */
async function withCallbackCall(engine: Engine) {
  await callbackCallOnDesk(engine);
}

/** A Genesys callback due now, alerting on the agent's desk. */
async function withGenesysCallback(engine: Engine) {
  await engine.login('a.lopez', 'Place_3101');
  await engine.setChannel('chat', 'NotReady');
  await engine.setChannel('email', 'NotReady');
  await genesysCallbackDue(engine);
}

async function withWebCallback(engine: Engine) {
  await engine.login('a.lopez', 'Place_3101');
  const contact = (await allContacts(engine)).find((c) => c.tz === 'America/New_York')!;
  await engine.exclusive(async () => createWebCallback(engine, contact.id, { from: T0 + 60_000, till: T0 + 31 * 60_000, to: (await engine.chainOf(contact.id))[0].contact_info }, 'Please call'));
  await engine.advanceTo(T0 + 60_000);
}

interface Scenario {
  name: string;
  setup?: (e: Engine) => Promise<void>;
  steps: (d: Desk, e: Engine) => Promise<unknown>;
  /** Text the screen must show, so the test knows it reached the view it checks. */
  shows: string | RegExp | RegExp[];
}

const SCENARIOS: Scenario[] = [
  { name: 'login', steps: async () => {}, shows: 'agent login' },
  { name: 'main window', steps: loggedIn, shows: 'My Campaigns' },
  { name: 'team communicator search', steps: async (d) => (await loggedIn(d), await d.keys('4'), d.type('garcia')), shows: 'Garcia' },
  { name: 'help overlay', steps: async (d) => (await loggedIn(d), d.keys('?')), shows: 'Keyboard help' },
  { name: 'quit question', steps: async (d) => (await loggedIn(d), d.keys('q')), shows: 'Quit callback-desk?' },
  { name: 'message', steps: async (d) => (await loggedIn(d), d.keys('3', 'enter')), shows: 'esc close' },
  { name: 'action menu', steps: async (d) => (await loggedIn(d), await d.keys('4'), await d.type('garcia'), d.keys('enter')), shows: 'New Callback' },
  { name: 'contact card', steps: async (d) => (await loggedIn(d), await d.keys('4'), await d.type('garcia'), d.keys('enter', 'down', 'enter')), shows: 'Local time' },
  { name: 'new callback (team communicator)', steps: async (d) => (await loggedIn(d), await d.keys('4'), await d.type('garcia'), d.keys('enter', 'enter')), shows: 'Callback' },
  {
    name: 'new callback grid (team communicator)',
    steps: async (d) => (await loggedIn(d), await d.keys('4'), await d.type('garcia'), d.keys('enter', 'enter', 'tab', 'tab', 'tab', 'right', 'tab', 'tab')),
    shows: /\d\d:\d\d/,
  },
  {
    name: 'new callback calendar',
    steps: async (d) => (await loggedIn(d), await d.keys('4'), await d.type('garcia'), d.keys('enter', 'enter', 'tab', 'tab', 'tab', 'f4')),
    shows: [/‹ November 2026 +›/, /Mo  Tu  We  Th  Fr  Sa  Su/, /23·\[24\]/, /\b30\b/],
  },
  { name: 'preview call', steps: async (d) => (await loggedIn(d), d.keys('n', '2', 'down', 'down', 'down', 'enter')), shows: 'Call' },
  { name: 'reschedule callback', steps: async (d) => (await loggedIn(d), d.keys('n', '2', 'down', 'down', 'down', 'enter', 'r', 'space')), shows: 'Reschedule Callback' },
  { name: 'reschedule calendar', steps: async (d) => (await loggedIn(d), d.keys('n', '2', 'down', 'down', 'down', 'enter', 'r', 'space', 'tab', 'f4')),
    // The month header, the weekday header and every week of November 2026 (Monday first).
    shows: [/‹ November 2026 +›/, /Mo  Tu  We  Th  Fr  Sa  Su/, / 1· +│/, /2· +3· +4· +5· +6· +7· +8·/, /9· +10· +11· +12· +13· +14· +15·/, /16· +17· +18· +19· +20· +21· +22·/, /23·\*24 +\[25\] +26 +27 +28 +29/, /\b30\b/],
  },
  {
    name: 'new phone number',
    steps: async (d) => (await loggedIn(d), d.keys('n', '2', 'down', 'down', 'down', 'enter', 'r', 'space', 'shift+tab', 'enter')),
    shows: 'New Phone Number',
  },
  { name: 'callback call reschedule', setup: withCallbackCall, steps: (d) => d.keys('5', 'enter', 'r'), shows: 'Reschedule Callback' },
  { name: 'genesys callback interaction', setup: withGenesysCallback, steps: (d) => d.keys('5', 'enter'), shows: 'Customer number' },
  { name: 'genesys callback reschedule', setup: withGenesysCallback, steps: (d) => d.keys('5', 'enter', 'a', 'r'), shows: /Reschedule Callback CB\d/ },
  { name: 'my callbacks', setup: withGenesysCallback, steps: (d) => d.keys('6'), shows: 'My Callbacks' },
  { name: 'web callback', setup: withWebCallback, steps: (d) => d.keys('5', 'enter', 'a'), shows: 'Web Callback' },
  { name: 'web callback reschedule', setup: withWebCallback, steps: (d) => d.keys('5', 'enter', 'a', 'r', 'space'), shows: 'From' },
  {
    name: 'logout message',
    // Voice only: the predictive dialer has a call ringing for the agent at +20 s.
    steps: async (d, e) => {
      await loggedIn(d);
      await d.keys('1', 'down', 'enter', 'down', 'enter', 'down', 'enter');
      await e.advanceBy(20_000);
      await d.keys('L');
    },
    shows: 'Awaiting logoff authorization',
  },
];

describe('every screen and overlay lays out inside the terminal (seed 7, 2026-11-24T15:00Z)', () => {
  for (const [columns, rows] of SIZES)
    for (const sc of SCENARIOS)
      it(`${sc.name} at ${columns}x${rows}`, async () => {
        const engine = await demoEngine(7);
        await sc.setup?.(engine);
        const d = await mountDesk(engine, { columns, rows });
        cleanup = d.unmount;
        await sc.steps(d, engine);
        const screen = d.screen();
        if (typeof sc.shows === 'string') expect(screen).toContain(sc.shows);
        else for (const re of [sc.shows].flat()) expect(screen).toMatch(re);
        expect(layoutProblems(d.term), screen).toEqual([]);
      });
});
