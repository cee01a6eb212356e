import {
  ContactInfoType,
  DialingMode,
  NEW_RECORD,
  type Agent,
  type CallbackService,
  type Campaign,
  type CampaignLiveFigures,
  type CallingListRecord,
  type Contact,
} from './domain.js';
import type { Engine } from './engine.js';
import { EventQueue } from './event-queue.js';
import { ok, type Result } from './result.js';
import { Random } from './random.js';
import { SCHEMA_VERSION, type SimEvent, type WorldSeed } from './world.js';
import { createCampaignSim } from './dialer/campaign-sim.js';
import { COLLEAGUE_SHIFT_MS, DEFAULT_RATES, DEFAULT_TARGET_ABANDON, groupRandom, pacedModeOf } from './dialer/group-dialer.js';

/**
 * The demo world made on first run. Contacts live in zones chosen to exercise every hard case:
 * half-hour (St John's, Kolkata) and 45-minute (Kathmandu) offsets, southern-hemisphere
 * daylight saving (Sydney, Auckland) and a zone whose rules changed in 2026 (Vancouver).
 */
export const DEMO_ZONES: { zone: string; weight: number; phone: (r: Random) => { number: string; type: ContactInfoType } }[] = [
  { zone: 'America/New_York', weight: 16, phone: (r) => nanp(r, ['212', '646', '718', '917']) },
  { zone: 'America/Chicago', weight: 10, phone: (r) => nanp(r, ['312', '773', '872']) },
  { zone: 'America/Denver', weight: 6, phone: (r) => nanp(r, ['303', '720']) },
  { zone: 'America/Los_Angeles', weight: 10, phone: (r) => nanp(r, ['213', '310', '415']) },
  { zone: 'America/Vancouver', weight: 8, phone: (r) => nanp(r, ['604', '778']) },
  { zone: 'America/St_Johns', weight: 5, phone: (r) => nanp(r, ['709']) },
  { zone: 'Europe/London', weight: 8, phone: (r) => (r.chance(0.6) ? mobile(`+447${r.pick(['911', '400', '956', '825'])}${digits(r, 6)}`) : fixed(`+442079460${digits(r, 3)}`)) },
  { zone: 'Europe/Berlin', weight: 6, phone: (r) => (r.chance(0.5) ? mobile(`+49151${digits(r, 8)}`) : fixed(`+4930${r.int(2, 9)}${digits(r, 7)}`)) },
  { zone: 'Asia/Kolkata', weight: 7, phone: (r) => mobile(`+91${r.pick(['98', '97', '99'])}${digits(r, 8)}`) },
  { zone: 'Asia/Kathmandu', weight: 5, phone: (r) => mobile(`+97798${r.int(0, 6)}${digits(r, 7)}`) },
  { zone: 'Australia/Sydney', weight: 7, phone: (r) => (r.chance(0.6) ? mobile(`+614${r.int(0, 9)}${digits(r, 7)}`) : fixed(`+6129${digits(r, 7)}`)) },
  { zone: 'Pacific/Auckland', weight: 4, phone: (r) => mobile(`+6421${digits(r, 7)}`) },
];

function digits(r: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(r.int(0, 9));
  return s;
}

function mobile(number: string) {
  return { number, type: ContactInfoType.Mobile as ContactInfoType };
}

function fixed(number: string) {
  return { number, type: ContactInfoType.HomePhone as ContactInfoType };
}

/** North American numbers: exchange 2xx-9xx, never an N11 or 555 exchange. */
function nanp(r: Random, areas: string[]) {
  let exch = r.int(200, 999);
  while (exch % 100 === 11 || exch === 555) exch = r.int(200, 999);
  const type = r.pick([ContactInfoType.HomePhone, ContactInfoType.Mobile, ContactInfoType.Mobile, ContactInfoType.DirectBusinessPhone]);
  return { number: `+1${r.pick(areas)}${exch}${digits(r, 4)}`, type };
}

const FIRST = ['Maria', 'James', 'Priya', 'Liam', 'Sofia', 'Noah', 'Aiko', 'Omar', 'Chloe', 'Mateo', 'Anika', 'Ethan', 'Grace', 'Ravi', 'Olivia', 'Lucas', 'Mei', 'Jack', 'Amara', 'Felix', 'Zoe', 'Arjun', 'Isla', 'Hugo', 'Nora', 'Sita', 'Owen', 'Leila', 'Finn', 'Ines'];
const LAST = ['Garcia', 'Smith', 'Sharma', 'Murphy', 'Rossi', 'Nguyen', 'Tanaka', 'Haddad', 'Martin', 'Silva', 'Patel', 'Brown', 'Wilson', 'Thapa', 'Taylor', 'Muller', 'Chen', 'Walker', 'Okafor', 'Schmidt', 'Kelly', 'Gurung', 'Campbell', 'Dubois', 'Novak', 'Shrestha', 'Evans', 'Karimi', 'OBrien', 'Costa'];

export const DEFAULT_AGENT_ID = 'a.lopez';
const COLLEAGUES: [string, string][] = [
  ['b.okafor', 'Ben Okafor'],
  ['c.tanaka', 'Chie Tanaka'],
  ['d.murphy', 'Dana Murphy'],
  ['e.silva', 'Eva Silva'],
  ['f.haddad', 'Farid Haddad'],
  ['g.nguyen', 'Gia Nguyen'],
  ['h.patel', 'Hema Patel'],
  ['i.rossi', 'Ivo Rossi'],
  ['j.chen', 'Jun Chen'],
  ['k.walker', 'Kim Walker'],
  ['l.schmidt', 'Lena Schmidt'],
  ['m.thapa', 'Milan Thapa'],
];
export const GROUP_ID = 'Outbound Team A';

interface CampaignSeed {
  id: string;
  name: string;
  mode: DialingMode;
  policy: Campaign['callbackPolicy'];
  startedMinutesAgo: number | null;
  fields: string[];
  dispositions: [string, string][];
  contacts: number;
}

const CAMPAIGNS: CampaignSeed[] = [
  {
    id: 'collections-q4',
    name: 'Collections Q4',
    mode: DialingMode.Predictive,
    policy: 'agent-choice',
    startedMinutesAgo: 120,
    fields: ['Account', 'Balance', 'Due Date'],
    dispositions: [['PTP', 'Promise to Pay'], ['PIF', 'Paid in Full'], ['DSP', 'Disputed'], ['RTP', 'Refused to Pay'], ['CBL', 'Call Back Later']],
    contacts: 110,
  },
  {
    id: 'policy-renewals',
    name: 'Policy Renewals',
    mode: DialingMode.Progressive,
    policy: 'campaign-only',
    startedMinutesAgo: 45,
    fields: ['Policy', 'Premium', 'Renewal Date'],
    dispositions: [['REN', 'Renewed'], ['NRN', 'Not Renewing'], ['QTE', 'Wants a Quote'], ['CBL', 'Call Back Later']],
    contacts: 80,
  },
  {
    id: 'winter-appeal',
    name: 'Winter Appeal',
    mode: DialingMode.PushPreview,
    policy: 'personal-only',
    startedMinutesAgo: null,
    fields: ['Donor ID', 'Last Gift', 'Pledge'],
    dispositions: [['PLG', 'Pledged'], ['DEC', 'Declined'], ['INF', 'Wants Information'], ['CBL', 'Call Back Later']],
    contacts: 60,
  },
  {
    id: 'care-follow-up',
    name: 'Care Follow-up',
    mode: DialingMode.Preview,
    policy: 'agent-choice',
    startedMinutesAgo: 300,
    fields: ['Ticket', 'Product', 'Satisfaction'],
    dispositions: [['RES', 'Resolved'], ['ESC', 'Escalated'], ['NFA', 'No Further Action'], ['CBL', 'Call Back Later']],
    contacts: 60,
  },
];

/**
 * What a campaign that started before the world begins has dialed so far: its colleagues'
 * shift up to now, simulated once when the world is made (from then on the group dialer counts).
 */
function figuresSoFar(seed: number, campaignId: string, mode: 'progressive' | 'predictive', startedAt: number, now: number): Campaign['figures'] {
  const sec = (now - startedAt) / 1000;
  const agents = COLLEAGUES.length;
  // The colleagues' shift as the desk's group loop would have run it from the start (its random
  // stream, its default rates), stopped at now (calls still ringing are not counted yet).
  const run = createCampaignSim({
    mode,
    agents,
    hours: COLLEAGUE_SHIFT_MS / 3_600_000,
    ...DEFAULT_RATES,
    targetAbandon: DEFAULT_TARGET_ABANDON,
    seed: 0,
    rng: groupRandom(seed, campaignId, startedAt),
    start: startedAt,
  });
  run.runUntil(sec);
  const f = run.figures(sec);
  const loggedMs = agents * sec * 1000;
  return { since: startedAt, attempts: f.attempts, liveAnswers: f.liveAnswers, abandoned: f.abandoned, busyMs: f.occupancy * loggedMs, loggedMs, at: now, busyAgents: 0, loggedAgents: agents };
}

/** A demo campaign's figures when the world begins, if it was started before (figuresSoFar). */
function firstFiguresOf(seed: number, c: CampaignSeed, now: number): CampaignLiveFigures | undefined {
  const mode = pacedModeOf(c.mode);
  return mode && c.startedMinutesAgo !== null ? figuresSoFar(seed, c.id, mode, now - c.startedMinutesAgo * 60_000, now) : undefined;
}

/**
 * Puts in the first figures createDemoWorld(seed, createdAt, { firstFigures: false }) left out,
 * as one command: the same figures createDemoWorld would have made. A campaign restarted, or
 * already counting (the figures are there), meanwhile is left as it is.
 */
export function fillFirstFigures(engine: Engine, seed: number, createdAt: number): Promise<Result<void>> {
  return engine.run(() => {
    for (const c of CAMPAIGNS) {
      const mc = engine.state.campaigns[c.id];
      if (!mc || mc.figures) continue;
      const first = firstFiguresOf(seed, c, createdAt);
      if (!first || mc.startedAt !== first.since) continue;
      engine.mut.campaigns[c.id].figures = first;
      engine.touch('campaign', c.id);
    }
    return ok(undefined);
  });
}

function customValues(r: Random, campaignId: string): Record<string, string> {
  switch (campaignId) {
    case 'collections-q4':
      return { Account: `AC-${digits(r, 6)}`, Balance: `${r.int(50, 4000)}.${digits(r, 2)}`, 'Due Date': `2026-${String(r.int(9, 11)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}` };
    case 'policy-renewals':
      return { Policy: `PL-${digits(r, 7)}`, Premium: `${r.int(300, 2400)}.00`, 'Renewal Date': `2026-12-${String(r.int(1, 31)).padStart(2, '0')}` };
    case 'winter-appeal':
      return { 'Donor ID': `D${digits(r, 5)}`, 'Last Gift': `${r.int(10, 500)}.00`, Pledge: '' };
    default:
      return { Ticket: `T-${digits(r, 5)}`, Product: r.pick(['Router X2', 'Plan Plus', 'Home Hub', 'Mesh Pro']), Satisfaction: '' };
  }
}

/** Contact hours in the contact's zone; most within the 8 a.m.-9 p.m. calling-hours rule. */
function contactHours(r: Random, type: ContactInfoType): [number, number] {
  if (type === ContactInfoType.DirectBusinessPhone) return [9 * 3600, 17 * 3600];
  return r.pick<[number, number]>([
    [8 * 3600, 21 * 3600],
    [8 * 3600, 21 * 3600],
    [9 * 3600, 20 * 3600],
    [17 * 3600, 21 * 3600],
    [10 * 3600, 18 * 3600],
  ]);
}

export const CALLBACK_SERVICE: CallbackService = {
  name: 'customer-care',
  tz: 'America/New_York',
  officeHours: {
    weekly: {
      1: [[8 * 3600, 20 * 3600]],
      2: [[8 * 3600, 20 * 3600]],
      3: [[8 * 3600, 20 * 3600]],
      4: [[8 * 3600, 20 * 3600]],
      5: [[8 * 3600, 20 * 3600]],
      6: [[9 * 3600, 13 * 3600]],
      7: [],
    },
    special: { '2026-12-24': [[8 * 3600, 14 * 3600]], '2026-12-25': [], '2027-01-01': [] },
  },
  slotMinutes: 15,
  capacity: 3,
};

/** More named services, in zones that make slot labels interesting. */
export const MORE_SERVICES: CallbackService[] = [
  {
    name: 'billing',
    tz: 'Europe/London',
    officeHours: { weekly: { 1: [[9 * 3600, 17 * 3600]], 2: [[9 * 3600, 17 * 3600]], 3: [[9 * 3600, 17 * 3600]], 4: [[9 * 3600, 17 * 3600]], 5: [[9 * 3600, 16 * 3600]], 6: [], 7: [] }, special: { '2026-12-25': [], '2026-12-26': [] } },
    slotMinutes: 30,
    capacity: 2,
  },
  {
    name: 'tech-support',
    tz: 'Asia/Kathmandu',
    officeHours: { weekly: { 1: [[7 * 3600, 22 * 3600]], 2: [[7 * 3600, 22 * 3600]], 3: [[7 * 3600, 22 * 3600]], 4: [[7 * 3600, 22 * 3600]], 5: [[7 * 3600, 22 * 3600]], 6: [[9 * 3600, 18 * 3600]], 7: [[9 * 3600, 18 * 3600]] }, special: {} },
    slotMinutes: 20,
    capacity: 4,
  },
];

/**
 * The demo world. `firstFigures: false` leaves out the figures of the campaigns started before
 * it begins (their colleagues' shift, replayed: 30 ms of a desktop's 350 ms first start, mostly
 * code run once and never again), for fillFirstFigures to put in once the first frame is up.
 */
export function createDemoWorld(seed: number, now: number, opts: { firstFigures?: boolean } = {}): WorldSeed {
  const r = new Random(seed);
  const zoneIds = new Map(DEMO_ZONES.map((z, i) => [z.zone, i + 1]));
  const totalWeight = DEMO_ZONES.reduce((s, z) => s + z.weight, 0);
  const pickZone = () => {
    let x = r.next() * totalWeight;
    for (const z of DEMO_ZONES) {
      x -= z.weight;
      if (x < 0) return z;
    }
    return DEMO_ZONES[0];
  };

  const agents: Record<string, Agent> = {
    [DEFAULT_AGENT_ID]: { id: DEFAULT_AGENT_ID, name: 'Ana Lopez', groupId: GROUP_ID, status: 'LoggedOut', simulated: false, place: null, loggedInAt: null },
  };
  for (const [id, name] of COLLEAGUES) {
    agents[id] = { id, name, groupId: GROUP_ID, status: 'Ready', simulated: true, place: `Place_${3100 + Object.keys(agents).length}`, loggedInAt: now - 3600_000 };
  }

  const campaigns: Record<string, Campaign> = {};
  const contacts: Record<string, Contact> = {};
  const records: Record<string, CallingListRecord> = {};
  let recordId = 1000;
  let chainId = 500;
  let contactNo = 0;
  const usedNumbers = new Set<string>();

  for (const c of CAMPAIGNS) {
    campaigns[c.id] = {
      id: c.id,
      name: c.name,
      dialingMode: c.mode,
      status: c.startedMinutesAgo === null ? 'Loaded' : 'Started',
      startedAt: c.startedMinutesAgo === null ? null : now - c.startedMinutesAgo * 60_000,
      groupId: GROUP_ID,
      callbackPolicy: c.policy,
      callbackHorizonDays: 30,
      personalCallbackCap: 20,
      personalCallbackGraceMin: 10,
      missedCallbackToCampaign: c.policy !== 'personal-only',
      optimization: { method: 'OverdialRate', target: 3 },
      targetAbandonRate: 0.03,
      dispositionCodes: c.dispositions.map(([code, label]) => ({ code, label })),
      customFields: c.fields,
    };
    if (opts.firstFigures !== false) {
      const first = firstFiguresOf(seed, c, now);
      if (first) campaigns[c.id].figures = first;
    }
    for (let i = 0; i < c.contacts; i++) {
      const z = pickZone();
      const id = `C${String(++contactNo).padStart(4, '0')}`;
      const firstName = r.pick(FIRST);
      const lastName = r.pick(LAST);
      contacts[id] = {
        id,
        firstName,
        lastName,
        tz: z.zone,
        email: `${firstName}.${lastName}${contactNo}@example.com`.toLowerCase(),
        fields: customValues(r, c.id),
      };
      chainId++;
      const n = r.pick([1, 1, 2, 2, 2, 3]);
      for (let k = 0; k < n; k++) {
        let ph = z.phone(r);
        while (usedNumbers.has(ph.number)) ph = z.phone(r);
        usedNumbers.add(ph.number);
        const [from, till] = contactHours(r, ph.type);
        const rec: CallingListRecord = {
          record_id: ++recordId,
          ...NEW_RECORD,
          contact_info: ph.number,
          contact_info_type: ph.type,
          daily_from: from,
          daily_till: till,
          tz_dbid: zoneIds.get(z.zone)!,
          tz: z.zone,
          campaign_id: c.id,
          agent_id: null,
          chain_id: chainId,
          chain_n: k + 1,
          group_id: GROUP_ID,
          contact_id: id,
          treatments: [],
        };
        records[String(rec.record_id)] = rec;
      }
    }
  }

  const queue = new EventQueue<SimEvent>();
  queue.push(now + Math.round(r.exponential(6 * 60_000)), { type: 'InboundArrival' });
  queue.push(now + Math.round(r.exponential(4 * 60_000)), { type: 'GmsCustomerBooking' });
  queue.push(now + Math.round(r.exponential(25 * 60_000)), { type: 'WebCallbackRequest' });
  queue.push(now + 10_000, { type: 'DialerTick' });
  for (const c of CAMPAIGNS) if (c.startedMinutesAgo === null) queue.push(now + 20 * 60_000, { type: 'CampaignStart', campaignId: c.id });

  return {
    schema: SCHEMA_VERSION,
    seed,
    now,
    rng: r.state(),
    queue: queue.snapshot(),
    nextIds: { record: recordId + 1, chain: chainId + 1, interaction: 1, message: 1, gcallback: 1, webcallback: 1 },
    session: { agentId: null, place: null, channels: { voice: 'LoggedOut', chat: 'LoggedOut', email: 'LoggedOut', sms: 'LoggedOut' } },
    dialer: { inFlight: [], nextCallId: 1, turn: 0, logout: null },
    agents,
    campaigns,
    contacts,
    records,
    interactions: {},
    messages: {},
    services: Object.fromEntries([CALLBACK_SERVICE, ...MORE_SERVICES].map((sv) => [sv.name, sv])),
    gcallbacks: {},
  };
}
