import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { RecordStatus, RecordType } from '../../src/engine/domain.js';
import { bookGenesysCallback, cancelGenesysCallback, slotsBetween } from '../../src/engine/genesys-callback.js';
import { cancelMyCallback, commitWebReschedule, myCallbacks, rescheduleMyOutboundCallback } from '../../src/engine/my-callbacks.js';
import { cancelCallback, quoteReschedule, requestPreviewRecord, scheduleCallback, setPendingReschedule } from '../../src/engine/outbound.js';
import { createWebCallback, setWebPending } from '../../src/engine/web-callback.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { T0, allRecords, changeRecords, demoEngine, recordOf as committedRecord } from '../helpers/world.js';

const H = 3_600_000;

async function world() {
  const e = await demoEngine(7);
  await e.login('a.lopez', 'Place_3101');
  return e;
}

/** A record of a campaign nobody has a callback on, in New York. */
async function recordOf(e: Engine, campaign: string, skip = 0) {
  return (await allRecords(e)).filter((r) => r.campaign_id === campaign && r.tz === 'America/New_York' && r.record_type === RecordType.General)[skip];
}

async function book(e: Engine, recordId: number, at: number, personal: boolean, agentId = 'a.lopez', bookedBy?: string | null) {
  const r = await scheduleCallback(e, { recordId, when: { kind: 'instant', utc: at }, personal, agentId, bookedBy });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.record;
}

/** A Genesys booking of `who` for a contact, in the first open slot of customer-care from `from`. */
async function gms(e: Engine, who: string, contactId: string, from = T0 + 20 * H) {
  const slot = (await e.read((q) => slotsBetween(e, q, 'customer-care', from, from + 24 * H))).find((s) => s.unavailable === null)!;
  const r = await bookGenesysCallback(e, { service: 'customer-care', contactId, customerNumber: '+12125550100', type: 'Scheduled', slot: slot.start, bookedBy: who });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** My Callbacks as the window reads it: what was committed. */
const mine = (e: Engine, agentId: string) => e.read((q) => myCallbacks(e, q, agentId));

describe('My Callbacks (engine)', () => {
  it('lists the agent\'s personal, campaign, Genesys and web callbacks, soonest first, and nobody else\'s', async () => {
    const e = await world();
    const colleague = Object.values(e.state.agents).find((a) => a.simulated)!.id;
    const personal = await book(e, (await recordOf(e, 'care-follow-up', 0)).record_id, T0 + 26 * H, true);
    const campaign = await book(e, (await recordOf(e, 'care-follow-up', 1)).record_id, T0 + 25 * H, false, 'a.lopez', 'a.lopez');
    // Not ours: a colleague's personal callback, a colleague's campaign callback, a script's.
    await book(e, (await recordOf(e, 'care-follow-up', 2)).record_id, T0 + 24 * H, true, colleague);
    await book(e, (await recordOf(e, 'care-follow-up', 3)).record_id, T0 + 24 * H, false, colleague, colleague);
    await book(e, (await recordOf(e, 'care-follow-up', 4)).record_id, T0 + 24 * H, false);
    // Cancelled: gone from the list.
    const cancelled = await book(e, (await recordOf(e, 'care-follow-up', 5)).record_id, T0 + 24 * H, true);
    expect((await cancelCallback(e, cancelled.record_id)).ok).toBe(true);
    const mineGms = await gms(e, 'a.lopez', personal.contact_id);
    await gms(e, 'web', personal.contact_id, T0 + 30 * H);
    const gone = await gms(e, 'a.lopez', personal.contact_id, T0 + 40 * H);
    expect((await cancelGenesysCallback(e, gone.id)).ok).toBe(true);
    const web = await e.exclusive(() => createWebCallback(e, campaign.contact_id, { from: T0 + 2 * H, till: T0 + 3 * H, to: campaign.contact_info }, 'Please call'));

    const list = await mine(e, 'a.lopez');
    expect(list.map((c) => [c.kind, c.id])).toEqual([
      ['Web', web.web!.requestId],
      ['Genesys', mineGms.id],
      ['Campaign', String(campaign.record_id)],
      ['Personal', String(personal.record_id)],
    ]);
    const p = list.find((c) => c.kind === 'Personal')!;
    const contact = (await e.read((q) => q.contacts.get(personal.contact_id)))!;
    expect(p).toMatchObject({ dueAt: T0 + 26 * H, contactName: `${contact.firstName} ${contact.lastName}`, contactTz: 'America/New_York', number: personal.contact_info, campaign: 'Care Follow-up', state: 'Scheduled' });
    expect(list.find((c) => c.kind === 'Genesys')).toMatchObject({ campaign: 'customer-care', number: '+12125550100', state: 'Scheduled', bookedBy: 'a.lopez' });
    // The colleague sees theirs, not ours (and no web callbacks: they are not on this desktop).
    expect((await mine(e, colleague)).map((c) => c.kind).sort()).toEqual(['Campaign', 'Personal']);
  });

  it('keeps who booked a campaign callback made at the desk (Done commits RecordReschedule)', async () => {
    const e = await world();
    const it = await requestPreviewRecord(e, 'care-follow-up');
    expect(it.ok).toBe(true);
    if (!it.ok) return;
    const q = await e.read((db) => quoteReschedule(e, db, { recordId: it.value.recordId!, when: { kind: 'instant', utc: T0 + 24 * H }, personal: false, agentId: 'a.lopez' }));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect((await setPendingReschedule(e, it.value.id, q.value)).ok).toBe(true);
    expect(await e.markDone(it.value.id)).toMatchObject({ ok: true, value: expect.stringMatching(/callback set for /) });
    const rec = (await committedRecord(e, it.value.recordId!))!;
    expect(rec).toMatchObject({ record_type: RecordType.CampaignCallback, agent_id: null, booked_by: 'a.lopez' });
    expect((await mine(e, 'a.lopez')).map((c) => c.key)).toEqual([`ocs:${rec.record_id}`]);
  });

  it('reads each source through its index, never the whole calling list', async () => {
    const e = await world();
    const db = (e.store as SqliteStore).db;
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a.lopez', 10) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT * FROM calling_list WHERE record_status = 1 AND record_type = 6 AND booked_by = ? ORDER BY dial_sched_time, record_id LIMIT ?')).toContain('calling_list_booked_callback');
    expect(plan("SELECT body FROM gms_callback WHERE json_extract(body, '$.bookedBy') = ? AND state <> 'COMPLETED' ORDER BY desired_time, seq LIMIT ?")).toContain('gms_callback_booked_by');
    const personal = (db.prepare('EXPLAIN QUERY PLAN SELECT * FROM calling_list WHERE record_status = 1 AND record_type = 5 AND agent_id = ? ORDER BY dial_sched_time, record_id').all('a.lopez') as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(personal).toContain('calling_list_personal_callback');
    // And the table's own queries name those indexes (INDEXED BY fails rather than scan).
    await expect(e.read((q) => q.records.openCampaignCallbacksBookedBy('a.lopez', 10))).resolves.not.toThrow();
    await expect(e.read((q) => q.gcallbacks.openBookedBy('a.lopez', 10))).resolves.not.toThrow();
  });

  it('cancels through each system, and refuses a callback already being dialled, saying why', async () => {
    const e = await world();
    const a = await book(e, (await recordOf(e, 'care-follow-up', 0)).record_id, T0 + 24 * H, true);
    const b = await book(e, (await recordOf(e, 'care-follow-up', 1)).record_id, T0 + 25 * H, true);
    const g = await gms(e, 'a.lopez', a.contact_id);
    const web = await e.exclusive(() => createWebCallback(e, a.contact_id, { from: T0 + 2 * H, till: T0 + 3 * H, to: a.contact_info }, 'Please call'));
    expect(await cancelMyCallback(e, { source: 'ocs', recordId: a.record_id })).toEqual({ ok: true, value: `RecordCancelAcknowledge: ${a.record_id}` });
    expect((await committedRecord(e, a.record_id))!.record_status).toBe(RecordStatus.Cancelled);
    expect((await cancelMyCallback(e, { source: 'gms', callbackId: g.id })).ok).toBe(true);
    expect(await e.read((q) => q.gcallbacks.get(g.id))).toMatchObject({ state: 'COMPLETED', reason: 'CANCELLED' });
    expect((await cancelMyCallback(e, { source: 'web', interactionId: web.id })).ok).toBe(true);
    expect((await mine(e, 'a.lopez')).map((c) => c.key)).toEqual([`ocs:${b.record_id}`]);
    // Dialled meanwhile (on a desktop): refused, and nothing changes.
    await changeRecords(e, [b.record_id], (r) => (r.record_status = RecordStatus.Retrieved));
    const r = await cancelMyCallback(e, { source: 'ocs', recordId: b.record_id });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('is being dialled');
    expect((await committedRecord(e, b.record_id))!.record_status).toBe(RecordStatus.Retrieved);
    expect(await cancelMyCallback(e, { source: 'ocs', recordId: a.record_id })).toMatchObject({ ok: false, error: expect.stringContaining('already cancelled') });
  });

  it('reschedules an OCS callback at once, keeping who booked it, and a waiting web callback on Done', async () => {
    const e = await world();
    const c = await book(e, (await recordOf(e, 'care-follow-up', 0)).record_id, T0 + 24 * H, false, 'a.lopez', 'a.lopez');
    const q = await e.read((db) => quoteReschedule(e, db, { recordId: c.record_id, when: { kind: 'instant', utc: T0 + 48 * H }, personal: false, agentId: 'a.lopez' }));
    if (!q.ok) throw new Error(q.error.message);
    expect((await rescheduleMyOutboundCallback(e, c.record_id, q.value)).ok).toBe(true);
    expect(await committedRecord(e, c.record_id)).toMatchObject({ dialSchedAt: T0 + 48 * H, booked_by: 'a.lopez', record_type: RecordType.CampaignCallback });
    const web = await e.exclusive(() => createWebCallback(e, c.contact_id, { from: T0 + 2 * H, till: T0 + 3 * H, to: c.contact_info }, 'Please call'));
    expect((await setWebPending(e, web.id, { from: T0 + 5 * H, till: T0 + 6 * H, to: c.contact_info })).ok).toBe(true);
    expect((await commitWebReschedule(e, web.id)).ok).toBe(true);
    const w = (await mine(e, 'a.lopez')).find((x) => x.kind === 'Web')!;
    expect(w).toMatchObject({ dueAt: T0 + 5 * H, till: T0 + 6 * H, state: 'Scheduled' });
  });
});
