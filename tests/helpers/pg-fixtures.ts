import { createDemoWorld } from '../../src/engine/demo-world.js';
import type { AgentMessage, CallingListRecord, Contact, GenesysCallback, Interaction } from '../../src/engine/domain.js';
import { Random } from '../../src/engine/random.js';
import type { WorldSeed } from '../../src/engine/world.js';

/**
 * Worlds for the store contract (tests/store/contract.test.ts): an empty one to put crafted rows
 * into, and random ones built to find where two databases could answer differently: ids and
 * names in mixed case and beyond ASCII, LIKE's own characters, ties in every ordering column,
 * NULL due times, chains busy, blocked and waiting.
 */

export const T0 = Date.UTC(2026, 10, 24, 15, 0, 0);

let empty: WorldSeed | undefined;

/** The demo world's agents, campaigns and services, and nothing else (made once: it takes 0.3 s). */
export function emptyWorld(): WorldSeed {
  empty ??= { ...createDemoWorld(7, T0), records: {}, contacts: {}, gcallbacks: {}, messages: {}, interactions: {} };
  return structuredClone(empty);
}

export function record(p: Partial<CallingListRecord> & { record_id: number }): CallingListRecord {
  return {
    contact_info: `212555${String(p.record_id).padStart(4, '0')}`,
    contact_info_type: 1,
    record_type: 2,
    record_status: 1,
    call_result: 28,
    attempt: 0,
    dialSchedAt: null,
    callAt: null,
    daily_from: 8 * 3600,
    daily_till: 21 * 3600,
    tz_dbid: 0,
    tz: 'America/New_York',
    campaign_id: 'camp',
    agent_id: null,
    chain_id: p.record_id,
    chain_n: 0,
    group_id: 'Outbound Team A',
    contact_id: `c${p.record_id}`,
    treatments: [],
    callback_local: null,
    disposition: null,
    ...p,
  } as CallingListRecord;
}

export function contact(id: string, firstName: string, lastName: string, fields: Record<string, string> = {}): Contact {
  return { id, firstName, lastName, tz: 'America/New_York', email: `${id}@example.com`, fields };
}

export function message(id: string, agentId: string, createdAt: number, p: Partial<AgentMessage> = {}): AgentMessage {
  return { id, agentId, kind: 'system', priority: 'normal', subject: `subject ${id}`, body: `body ${id}`, createdAt, read: false, ...p };
}

export function booking(id: string, p: Partial<GenesysCallback> = {}): GenesysCallback {
  return {
    id,
    service: 'svc',
    contactId: null,
    customerNumber: '+12125550100',
    type: 'Scheduled',
    desiredTime: T0,
    slot: T0,
    state: 'SCHEDULED',
    reason: null,
    bookedBy: 'a.lopez',
    createdAt: T0,
    history: [],
    originInteraction: null,
    ...p,
  };
}

export function interaction(id: string, state: Interaction['state'], createdAt: number, p: Partial<Interaction> = {}): Interaction {
  return {
    id,
    kind: 'inbound-voice',
    channel: 'voice',
    state,
    contactId: null,
    recordId: null,
    campaignId: null,
    subject: `call ${id}`,
    // Key order matters: a desktop shows case data in the order it was written.
    caseData: { Zeta: '1', alpha: '2', Mid: '3' },
    createdAt,
    updatedAt: createdAt,
    ...p,
  };
}

export const ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'America/St_Johns'];
export const CAMPAIGNS = ['camp-a', 'camp-b', 'Camp-C'];
export const AGENTS = ['a.lopez', 'A.Moss', 'b.chen', 'Zoë'];

const FIRST = ['Zoë', 'zoe', 'ÉMILE', 'émile', 'Ann', 'ann', "O'Brien", '50%_off', 'back\\slash', 'Lee', 'lee', 'İlker'];
const LAST = ['Smith', 'smith', 'Ødegaard', 'o_neil', 'Tran', 'TRAN', 'Ng', 'del Río'];
const ID_FORMS = [(n: number) => `C${n}`, (n: number) => `c${n}`, (n: number) => `é${n}`, (n: number) => `_${n}`, (n: number) => `Z-${n}`, (n: number) => `a.${n}`];

/** A world of every kind of row, drawn from `seed`. */
export function randomWorld(seed: number): WorldSeed {
  const r = new Random(seed);
  const w = emptyWorld();
  const contactIds: string[] = [];
  for (let i = 0; i < 240; i++) {
    const id = r.pick(ID_FORMS)(i);
    contactIds.push(id);
    const fields: Record<string, string> = {};
    for (const k of ['account', 'Balance', 'zeta', 'Ärger', 'a"quote']) if (r.chance(0.4)) fields[k] = String(r.int(0, 999));
    w.contacts[id] = { ...contact(id, r.pick(FIRST), r.pick(LAST), fields), tz: r.pick(ZONES) };
  }
  let chain = 0;
  let id = 1;
  while (id <= 1500) {
    chain++;
    const links = r.int(1, 3);
    const contactId = r.pick(contactIds);
    for (let n = 0; n < links && id <= 1500; n++, id++) {
      const type = r.pick([2, 2, 2, 2, 5, 6, 6, 7] as const);
      const status = r.pick([1, 1, 1, 1, 2, 3, 8] as const);
      const due = r.chance(0.3) ? null : T0 + r.int(-48, 48) * 1_800_000 + r.pick([0, 0, 1000]);
      const from = r.pick([0, 8, 9, 10]) * 3600;
      w.records[id] = record({
        record_id: id,
        contact_info: r.chance(0.1) ? `user${id}@example.com` : `${r.pick(['212', '415', '0207', '91'])}555${String(r.int(0, 9999)).padStart(4, '0')}`,
        record_type: type,
        record_status: status,
        call_result: r.chance(0.05) ? 51 : r.pick([28, 33, 7, 6]),
        attempt: r.int(0, 3),
        dialSchedAt: due,
        callAt: r.chance(0.5) ? null : T0 - r.int(1, 100) * 60_000,
        daily_from: from,
        daily_till: from + r.pick([8, 11, 14, 24]) * 3600,
        tz: r.pick(ZONES),
        campaign_id: r.pick(CAMPAIGNS),
        agent_id: type === 5 ? r.pick(AGENTS) : r.chance(0.1) ? r.pick(AGENTS) : null,
        chain_id: chain,
        chain_n: r.chance(0.1) ? 0 : n,
        contact_id: contactId,
        treatments: r.chance(0.2) ? ['t1', 'ü'] : [],
        callback_local: type === 5 || type === 6 ? '2026-11-24 10:00' : null,
        booked_by: type === 6 && r.chance(0.7) ? r.pick(AGENTS) : null,
      });
    }
  }
  for (let i = 1; i <= 200; i++) {
    const agent = r.pick(AGENTS);
    const m = message(`msg-${r.chance(0.05) ? 7 : i}x${i}`, agent, T0 - r.int(0, 20) * 60_000, { read: r.chance(0.5), kind: r.pick(['system', 'callback', 'campaign'] as const) });
    w.messages[m.id] = m;
  }
  for (let i = 1; i <= 60; i++) {
    const it = interaction(r.pick(ID_FORMS)(i), r.pick(['done', 'done', 'alerting', 'connected', 'ended'] as Interaction['state'][]), T0 - r.int(0, 5) * 60_000);
    w.interactions[it.id] = it;
  }
  const services = Object.keys(w.services);
  for (let i = 1; i <= 300; i++) {
    const slot = T0 + r.int(-10, 40) * 900_000;
    const state = r.pick(['SCHEDULED', 'SCHEDULED', 'QUEUED', 'COMPLETED'] as GenesysCallback['state'][]);
    const cb = booking(`gcb-${i}`, {
      service: r.pick(services),
      contactId: r.chance(0.8) ? r.pick(contactIds) : null,
      desiredTime: slot + r.pick([0, 0, 300_000]),
      slot,
      state,
      reason: state === 'COMPLETED' ? r.pick(['CANCELLED', 'AGENT_CONNECTED']) : null,
      bookedBy: r.pick([...AGENTS, 'web']),
    });
    w.gcallbacks[cb.id] = cb;
  }
  return w;
}
