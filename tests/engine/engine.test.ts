import { describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { DialingMode } from '../../src/engine/domain.js';
import { updateCustomerRecord } from '../../src/engine/outbound.js';
import { T0, demoEngine, allContacts, dumpStore, interactionOf, restart } from '../helpers/world.js';
import { ClockDriver, inviteTimeoutAt } from '../../src/runtime/clock-driver.js';

const HOUR = 3600_000;

describe('demo world', () => {
  const w = createDemoWorld(7, T0);
  it('has the four dialing modes, 500+ records in 10+ zones and 10+ colleagues', () => {
    const modes = new Set(Object.values(w.campaigns).map((c) => c.dialingMode));
    for (const m of [DialingMode.Preview, DialingMode.PushPreview, DialingMode.Progressive, DialingMode.Predictive]) expect(modes.has(m)).toBe(true);
    const records = Object.values(w.records);
    expect(records.length).toBeGreaterThanOrEqual(500);
    const zones = new Set(records.map((r) => r.tz));
    expect(zones.size).toBeGreaterThanOrEqual(10);
    for (const z of ['Asia/Kathmandu', 'Australia/Sydney', 'America/Vancouver']) expect(zones.has(z)).toBe(true);
    expect(zones.has('Asia/Kolkata') || zones.has('America/St_Johns')).toBe(true);
    expect(Object.values(w.agents).filter((a) => a.simulated).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(w.services).length).toBeGreaterThanOrEqual(1);
  });

  it('gives every contact 1 to 3 numbers forming one chain, with contact hours', () => {
    const byContact = new Map<string, number[]>();
    for (const r of Object.values(w.records)) {
      byContact.set(r.contact_id, [...(byContact.get(r.contact_id) ?? []), r.chain_id]);
      expect(r.daily_from).toBeLessThan(r.daily_till);
    }
    for (const chains of byContact.values()) {
      expect(chains.length).toBeGreaterThanOrEqual(1);
      expect(chains.length).toBeLessThanOrEqual(3);
      expect(new Set(chains).size).toBe(1);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    expect(createDemoWorld(7, T0)).toEqual(w);
    expect(createDemoWorld(8, T0).contacts).not.toEqual(w.contacts);
  });
});

describe('engine', () => {
  it('replays the same events for the same seed, start and inputs', async () => {
    const run = async () => {
      const e = await demoEngine(3);
      await e.login('a.lopez', 'Place_1');
      await e.advanceBy(8 * HOUR);
      await e.commit();
      return { memory: e.snapshot(), store: dumpStore(e) };
    };
    const a = await run();
    expect(a.store.interaction.length).toBeGreaterThan(10);
    expect(await run()).toEqual(a);
  });

  it('continues identically after a snapshot and restore', async () => {
    const whole = await demoEngine(5);
    await whole.login('a.lopez', 'P');
    await whole.advanceBy(6 * HOUR);
    const half = await demoEngine(5);
    await half.login('a.lopez', 'P');
    await half.advanceBy(3 * HOUR);
    const restored = await restart(half);
    await restored.advanceBy(3 * HOUR);
    await restored.commit();
    await whole.commit();
    expect(dumpStore(restored)).toEqual(dumpStore(whole));
  });

  it('announces running campaigns at login and a campaign that starts later when it starts', async () => {
    const e = await demoEngine();
    expect((await e.login('a.lopez', 'Place_1')).ok).toBe(true);
    const subjects = async () => (await e.messagesFor('a.lopez')).map((m) => m.subject);
    expect(await subjects()).toEqual(expect.arrayContaining(['Campaign Collections Q4 started', 'Campaign Policy Renewals started', 'Campaign Care Follow-up started']));
    expect(await subjects()).not.toContain('Campaign Winter Appeal started');
    await e.advanceBy(25 * 60_000);
    expect(await subjects()).toContain('Campaign Winter Appeal started');
    expect(e.myCampaigns().find((c) => c.id === 'winter-appeal')?.status).toBe('Started');
  });

  it('does not repeat the campaign message on a second login', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    const n = (await e.messagesFor('a.lopez')).length;
    await e.logout();
    await e.login('a.lopez', 'P');
    expect((await e.messagesFor('a.lopez')).length).toBe(n);
  });

  it('refuses unknown agents; a simulated colleague who logs in is a person at a desktop while logged in', async () => {
    const e = await demoEngine();
    expect(await e.login('nobody', 'P')).toEqual({ ok: false, error: 'unknown agent "nobody"' });
    // A trainee taking a colleague's seat (issue 20): the simulation leaves that colleague alone
    // for as long as the session lasts.
    expect((await e.login('b.okafor', 'P')).ok).toBe(true);
    expect(e.sessionOf('b.okafor')?.place).toBe('P');
    expect(e.loggedInAgents().map((a) => a.id)).toEqual(['b.okafor']);
    expect((await e.logout()).ok).toBe(true);
    expect(e.sessionOf('b.okafor')).toBeNull();
  });

  it('delivers chat, email and SMS only to a logged-in agent with the channel ready', async () => {
    const e = await demoEngine(11);
    await e.advanceBy(4 * HOUR);
    expect(e.openInteractions()).toHaveLength(0);
    await e.login('a.lopez', 'P');
    await e.setChannel('email', 'NotReady');
    await e.advanceBy(8 * HOUR);
    await e.commit();
    const kinds = new Set(dumpStore(e).interaction.map((i) => (i as { kind: string }).kind));
    expect(kinds.has('chat')).toBe(true);
    expect(kinds.has('sms')).toBe(true);
    expect(kinds.has('email')).toBe(false);
  });

  it('routes an invitation not accepted within 30 s to another agent', async () => {
    const e = await demoEngine(11);
    await e.login('a.lopez', 'P');
    await e.setChannel('voice', 'NotReady');
    while (e.openInteractions().length === 0) await e.advanceBy(1000);
    const it = e.openInteractions()[0];
    await e.advanceTo(it.createdAt + 29_000);
    expect((await interactionOf(e, it.id))!.state).toBe('alerting');
    await e.advanceTo(it.createdAt + 30_000);
    expect((await interactionOf(e, it.id))!.state).toBe('done');
  });

  it('gives the agent 30 real seconds to answer at --speed 60: the runtime sets the timeout from the speed (issue 21)', async () => {
    expect([inviteTimeoutAt(0), inviteTimeoutAt(0.5), inviteTimeoutAt(1), inviteTimeoutAt(60)]).toEqual([30_000, 30_000, 30_000, 1_800_000]);
    const e = await demoEngine(11);
    let real = 0;
    const clock = new ClockDriver(e, 60, () => real);
    expect(e.inviteTimeoutMs).toBe(1_800_000);
    await e.login('a.lopez', 'P');
    await e.setChannel('voice', 'NotReady');
    const tick = async (ms: number) => {
      real += ms;
      await clock.tick();
    };
    await tick(0);
    while (e.openInteractions().length === 0) await tick(1000);
    const it = e.openInteractions()[0];
    const alertedAt = real;
    // 29 real seconds (29 simulated minutes): still on the desktop.
    while (real - alertedAt < 29_000) await tick(1000);
    expect((await interactionOf(e, it.id))!.state).toBe('alerting');
    while (real - alertedAt < 31_000) await tick(1000);
    expect((await interactionOf(e, it.id))!.state).toBe('done');
  });

  it('walks an interaction through accept, end and done', async () => {
    const e = await demoEngine(11);
    await e.login('a.lopez', 'P');
    await e.setChannel('voice', 'NotReady');
    while (e.openInteractions().length === 0) await e.advanceBy(60_000);
    const it = e.openInteractions()[0];
    expect((await e.markDone(it.id)).ok).toBe(false);
    expect((await e.acceptInteraction(it.id)).ok).toBe(true);
    expect((await e.endInteraction(it.id)).ok).toBe(true);
    expect((await e.markDone(it.id)).ok).toBe(true);
    expect(e.openInteractions().find((x) => x.id === it.id)).toBeUndefined();
  });

  it('searches the directory once per text: not again on a re-render, narrowed in memory while typing on, afresh after an edit or another process', async () => {
    const e = await demoEngine();
    const calls = { names: 0, numbers: 0 };
    // The store's own tables, as every read outside a transaction is handed them.
    const tables = await e.read(async (q) => q);
    const names = tables.contacts.searchByName.bind(tables.contacts);
    const numbers = tables.records.contactsWithNumber.bind(tables.records);
    tables.contacts.searchByName = (q, n) => (calls.names++, names(q, n));
    tables.records.contactsWithNumber = (d, n) => (calls.numbers++, numbers(d, n));
    const ids = (cs: { id: string }[]) => cs.map((c) => c.id);

    const ga = await e.searchContacts('ga', 50);
    expect(ga.length).toBeGreaterThan(0);
    expect(ga.length).toBeLessThan(50);
    await e.advanceBy(600_000);
    expect(await e.searchContacts('ga', 50)).toBe(ga);
    expect(calls.names).toBe(1);
    // Typing on: answered from 'ga', and the same as a search from scratch (another engine).
    const fresh = await restart(e);
    // (fresh shares the store, so its own searches count: only e's are compared.)
    const unread = async (text: string) => {
      const expected = ids(await fresh.searchContacts(text, 50));
      const before = { ...calls };
      expect(ids(await e.searchContacts(text, 50))).toEqual(expected);
      expect({ text, ...calls }).toEqual({ text, ...before });
      return expected;
    };
    for (const text of ['gar', 'garc', 'GARCIA', 'garcia z']) await unread(text);
    // Text that does not extend the last is searched again; then text extending it at the front.
    const n0 = calls.names;
    expect(ids(await e.searchContacts('ga', 50))).toEqual(ids(ga));
    expect(calls.names).toBe(n0 + 1);
    expect((await unread('o ga')).length).toBeGreaterThan(0);
    // A number: its last 7 digits, then 8.
    const c = (await allContacts(e))[10];
    const number = (await e.read((q) => q.records.ofContact(c.id)))[0].contact_info;
    expect(ids(await e.searchContacts(number.slice(-7), 50))).toContain(c.id);
    expect(await unread(number.slice(-8))).toContain(c.id);
    // Typed from its first character: '+1' and '+16' found no one by name and were not looked
    // up by number (too few digits), so '+160' is searched, not narrowed from them.
    for (let i = 1; i <= number.length; i++) expect(ids(await e.searchContacts(number.slice(0, i), 50))).toEqual(ids(await fresh.searchContacts(number.slice(0, i), 50)));
    expect(ids(await e.searchContacts(number, 50))).toContain(c.id);

    // An edited contact, then another process's change: searched afresh.
    await e.searchContacts('ga', 50);
    const n = calls.names;
    const field = Object.keys(c.fields)[0];
    expect((await updateCustomerRecord(e, c.id, { [field]: 'changed' })).ok).toBe(true);
    await e.searchContacts('ga', 50);
    expect(calls.names).toBe(n + 1);
    expect((await updateCustomerRecord(fresh, c.id, { [field]: 'changed again' })).ok).toBe(true);
    expect(await e.sync()).toBe(true);
    await e.searchContacts('ga', 50);
    expect(calls.names).toBe(n + 2);
  });

  it('finds contacts by name and by number', async () => {
    const e = await demoEngine();
    const c = (await allContacts(e))[10];
    expect((await e.searchContacts(c.lastName)).map((x) => x.id)).toContain(c.id);
    const number = (await e.read((q) => q.records.ofContact(c.id)))[0].contact_info;
    expect((await e.searchContacts(number.slice(-7))).map((x) => x.id)).toContain(c.id);
  });
});
