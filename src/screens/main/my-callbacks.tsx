// Long on purpose: My Callbacks is one window (list, details, cancel question) whose row layout
// rules for each width belong together.
import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { Engine } from '../../engine/engine.js';
import { ok } from '../../engine/result.js';
import { cancelMyCallback, commitWebReschedule, myCallbacks, rescheduleMyOutboundCallback, type MyCallback, type MyCallbackKind } from '../../engine/my-callbacks.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import type { TimeZones } from '../../engine/time/time-zones.js';
import { useDesk, useEngineState, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { CONFIRM, MAIN, MY_CALLBACKS, MY_CALLBACK_DETAILS, OUTBOUND_CALL, TEAM, type Keymap } from '../keymaps.js';
import { clipWords } from '../text-fit.js';
import { useTheme } from '../theme.js';
import { useViews } from '../lazy-views.js';
import { ListRow, clampIndex, visibleWindow } from '../components/pane.js';
import { ContactCard } from './contact-card.js';

// ---- the row: cells, abbreviated on purpose to fit the width (never cut mid-word) ----------

/** Below this width the times drop the weekday, kinds and campaigns are abbreviated, numbers compact. */
const WIDE = 100;
/** From this width a State column joins. */
const WIDER = 120;

const KIND_SHORT: Record<MyCallbackKind, string> = { Personal: 'Pers', Campaign: 'Camp', Genesys: 'GMS', Web: 'Web' };

export interface RowCells {
  when: string;
  kind: string;
  contact: string;
  number: string;
  campaign: string;
  state: string;
}

/**
 * "Tue 24 Nov 14:30 EST · 11:30 PST": the agent's time, then the contact's (with its weekday
 * when it falls on another date there). Narrow: without the agent's weekday.
 */
export function whenText(zones: TimeZones, at: number, agentTz: string, contactTz: string, wide: boolean): string {
  const mine = zones.format(at, agentTz, wide ? 'ccc d LLL HH:mm' : 'd LLL HH:mm');
  const sameDate = zones.formatPlain(at, agentTz, 'yyyy-LL-dd') === zones.formatPlain(at, contactTz, 'yyyy-LL-dd');
  return `${mine} · ${zones.format(at, contactTz, sameDate ? 'HH:mm' : 'ccc HH:mm')}`;
}

export function rowCells(engine: Engine, c: MyCallback, agentTz: string, width: number): RowCells {
  const wide = width >= WIDE;
  return {
    when: whenText(engine.zones, c.dueAt, agentTz, c.contactTz, wide),
    kind: wide ? c.kind : KIND_SHORT[c.kind],
    contact: c.contactName,
    number: wide ? formatPhone(c.number) : c.number,
    campaign: c.campaign,
    state: c.state,
  };
}

/**
 * Shortens a label to `width` by abbreviating its words with a period, the longest first
 * ("Collections Q4" → "Col. Q4", "customer-care" → "cus.-care"), then down to an initial, the
 * last words first ("Care Follow-up" → "Care F.-up"), then its initials ("CFU"); a word is never
 * cut without its period.
 */
export function abbreviate(text: string, width: number): string {
  if (text.length <= width) return text;
  const parts = text.split(/([\s-]+)/);
  const words = parts.map((_, i) => i).filter((i) => i % 2 === 0 && parts[i]);
  const fits = () => parts.join('').length <= width;
  // Longest first: the words that give most room.
  for (const i of [...words].sort((a, b) => parts[b].length - parts[a].length || a - b)) {
    if (parts[i].length <= 4) break;
    parts[i] = `${parts[i].slice(0, 3)}.`;
    if (fits()) return parts.join('');
  }
  // The last words first: the first word stays readable longest.
  for (const i of [...words].reverse()) {
    if (parts[i].length <= 2) continue;
    parts[i] = `${parts[i][0]}.`;
    if (fits()) return parts.join('');
  }
  const initials = words.map((i) => parts[i][0].toUpperCase()).join('');
  if (initials.length <= width) return initials;
  return width <= 1 ? '' : `${initials.slice(0, width - 1)}…`;
}

/** A name to `width`: "Ada Byron", "A. Byron", "Byron", then abbreviated. */
export function fitName(name: string, width: number): string {
  if (name.length <= width) return name;
  const words = name.split(/\s+/);
  if (words.length > 1) {
    const last = words[words.length - 1];
    const initialled = `${words.slice(0, -1).map((w) => `${w[0]}.`).join(' ')} ${last}`;
    if (initialled.length <= width) return initialled;
    if (last.length <= width) return last;
  }
  return abbreviate(name, width);
}

export interface RowLayout {
  when: number;
  kind: number;
  contact: number;
  number: number;
  campaign: number;
  /** 0: no State column. */
  state: number;
}

/** Column widths for rows of `avail` characters (after the selection glyph), from all rows' cells. */
export function rowLayout(cells: RowCells[], avail: number, width: number): RowLayout {
  const max = (f: (c: RowCells) => string, min: number) => cells.reduce((m, c) => Math.max(m, f(c).length), min);
  const when = max((c) => c.when, 'When (you · contact)'.length);
  const kind = max((c) => c.kind, 4);
  const number = max((c) => c.number, 6);
  const state = width >= WIDER ? max((c) => c.state, 5) : 0;
  const gaps = state ? 5 : 4;
  let rest = avail - when - kind - number - state - gaps;
  const campaignWant = max((c) => c.campaign, 8);
  const contactWant = max((c) => c.contact, 7);
  // Names shorten to an initial and a surname, so the contact gives way first, down to 10.
  const contact = Math.max(4, Math.min(contactWant, Math.max(10, rest - campaignWant)));
  rest -= contact;
  const campaign = Math.max(4, Math.min(campaignWant, rest));
  return { when, kind, contact, number, campaign, state };
}

export function rowText(c: RowCells, l: RowLayout): string {
  const cells = [c.when.padEnd(l.when), c.kind.padEnd(l.kind), fitName(c.contact, l.contact).padEnd(l.contact), c.number.padEnd(l.number), abbreviate(c.campaign, l.campaign).padEnd(l.campaign)];
  if (l.state) cells.push(c.state.padEnd(l.state));
  return cells.join(' ').trimEnd();
}

function headerText(l: RowLayout): string {
  return rowText({ when: 'When (you · contact)', kind: 'Kind', contact: 'Contact', number: 'Number', campaign: 'Campaign', state: 'State' }, l);
}

// ---- the view -------------------------------------------------------------------------------

type Mode = { kind: 'list' } | { kind: 'details' } | { kind: 'confirm'; from: 'list' | 'details' } | { kind: 'reschedule' };

export interface MyCallbacksProps {
  width: number;
  height: number;
  onClose: () => void;
  onFlash: (message: string) => void;
  /** Opens an interaction on the desktop (a due Genesys callback offered, a web callback shown). */
  onOpenInteraction?: (interactionId: string) => void;
}

/**
 * My Callbacks: the agent's own pending callbacks (personal and campaign ones they booked,
 * their Genesys bookings, the web callbacks on their desktop), soonest first, each with the
 * time for the agent and for the contact. Enter opens one, r reschedules it in its own
 * system's form, x cancels it after asking.
 */
export function MyCallbacksView({ width, height, onClose, onFlash, onOpenInteraction }: MyCallbacksProps) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const views = useViews();
  const agentId = useEngineState((e) => e.agentId);
  const loaded = useStoreQuery((q, e) => (agentId ? myCallbacks(e, q, agentId) : Promise.resolve([])), [agentId]);
  const items = loaded ?? NONE;
  const [selKey, setSelKey] = useState<string | null>(null);
  const [selIndex, setSelIndex] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [note, setNote] = useState<string | null>(null);

  // The selection follows its callback while the list changes; when it goes, the row below.
  const found = selKey === null ? -1 : items.findIndex((c) => c.key === selKey);
  const sel = found >= 0 ? found : clampIndex(selIndex, items.length);
  const current: MyCallback | undefined = items[sel];
  const select = (i: number) => {
    const j = clampIndex(i, items.length);
    setSelIndex(j);
    setSelKey(items[j]?.key ?? null);
    setNote(null);
  };
  // Border 2, title 1, header 1, two rows under the list for the selected callback or a question.
  const rows = Math.max(1, height - 6);
  const flash = (m: string) => {
    setNote(m);
    onFlash(m);
  };
  const agentTime = (c: MyCallback) => engine.zones.format(c.dueAt, agentTz, 'ccc d LLL HH:mm');

  const open = () => {
    if (!current) return;
    // Due and offered: the interaction itself, where the agent works it.
    if (current.interactionId && onOpenInteraction) return onOpenInteraction(current.interactionId);
    setMode({ kind: 'details' });
  };
  const reschedule = () => {
    if (!current) return;
    if (current.kind === 'Web' && current.interactionId) {
      // On the desktop already: its window reschedules it and its Done commits.
      if (onOpenInteraction) {
        onFlash('Reschedule it in its window (r); Done commits it');
        return onOpenInteraction(current.interactionId);
      }
      return flash('This web callback is on your desktop: open it (5, Enter) and reschedule it there (r)');
    }
    if (current.kind === 'Genesys' && !current.contactId) return flash(`${current.id} has no contact to reschedule for; use the GMS API`);
    setMode({ kind: 'reschedule' });
  };
  const askCancel = (from: 'list' | 'details') => current && setMode({ kind: 'confirm', from });
  const cancel = async (c: MyCallback) => {
    const r = await cancelMyCallback(engine, c.ref);
    setMode({ kind: 'list' });
    flash(r.ok ? `Cancelled the callback for ${c.contactName} at ${agentTime(c)}` : r.error);
  };
  const backToList = (message: string | null) => {
    setMode({ kind: 'list' });
    if (message) flash(message);
  };

  useKeymap(
    MY_CALLBACKS,
    {
      up: () => select(sel - 1),
      down: () => select(sel + 1),
      pageUp: () => select(sel - rows),
      pageDown: () => select(sel + rows),
      first: () => select(0),
      last: () => select(items.length - 1),
      open,
      reschedule,
      cancel: () => askCancel('list'),
      close: onClose,
    },
    {
      priority: 50,
      modal: true,
      active: mode.kind === 'list',
      // An empty list has nothing to open, move or cancel: the footer does not offer it.
      disabled: {
        open: !current && (loaded ? 'no pending callback' : 'the list is being read'),
        reschedule: !current && (loaded ? 'no pending callback' : 'the list is being read'),
        cancel: !current && (loaded ? 'no pending callback' : 'the list is being read'),
      },
      onDisabled: flash,
      // Keys pressed as the window opens (6 j j Enter) wait for its rows (a database answers later).
      loading: !loaded,
    },
  );
  useKeymap(
    MY_CALLBACK_DETAILS,
    {
      reschedule,
      cancel: () => askCancel('details'),
      openInteraction: () => {
        if (current?.interactionId && onOpenInteraction) onOpenInteraction(current.interactionId);
        else setNote(current?.interactionId ? `It is on your desktop as ${current.interactionId}: 5, then Enter` : 'It is not on the desktop yet: it comes at its time');
      },
      back: () => backToList(null),
    },
    { priority: 50, modal: true, active: mode.kind === 'details' },
  );

  // The callback went (done, dialled, cancelled elsewhere) while a form or the details were open.
  if (mode.kind !== 'list' && !current) {
    return <ListFrame width={width} height={height} title="My Callbacks" position="" footer="That callback is no longer pending · esc" onBack={() => backToList(null)} />;
  }

  if (mode.kind === 'reschedule' && current) {
    if (!views) return <Text>Opening…</Text>;
    const done = (m: string | null) => backToList(m ?? 'Not rescheduled');
    if (current.ref.source === 'ocs') {
      const recordId = current.ref.recordId;
      return (
        <Box flexDirection="column" width={width} height={height} overflow="hidden">
          <views.RescheduleView
            target={{
              contactId: current.contactId!,
              campaignId: current.campaignId!,
              recordId,
              pending: { at: current.dueAt, tz: current.contactTz, local: current.callbackLocal ?? '', callbackType: current.kind === 'Personal' ? 'Personal' : 'Campaign', recordId },
              // Leaving the form books the move at once: there is no call whose Done would.
              save: async (quote) => (quote ? rescheduleMyOutboundCallback(engine, recordId, quote) : ok('Not rescheduled (x cancels a callback)')),
            }}
            onClose={done}
          />
        </Box>
      );
    }
    if (current.ref.source === 'gms') {
      return <views.GenesysCallbackForm mode="reschedule" contactId={current.contactId!} callbackId={current.ref.callbackId} width={width} height={height} onClose={done} />;
    }
    const interactionId = current.ref.interactionId;
    const it = engine.state.interactions[interactionId];
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        <views.WebRescheduleView
          it={it}
          compact={height < 22}
          onClose={async (m) => {
            // The view set the pending window; Done commits it now (the request waits for it).
            const r = await commitWebReschedule(engine, interactionId);
            done(r.ok ? (r.value === 'not rescheduled' ? m : r.value) : r.error);
          }}
        />
      </Box>
    );
  }

  if (mode.kind === 'details' && current) return <Details c={current} width={width} height={height} note={note} />;

  const avail = width - 4 - 2;
  const cells = items.map((c) => rowCells(engine, c, agentTz, width));
  const layout = rowLayout(cells, avail, width);
  const win = visibleWindow(cells, sel, rows);
  const position = items.length ? `${sel + 1}/${items.length}` : '0/0';
  const bottom =
    mode.kind === 'confirm' && current
      ? null
      : note ?? (current ? selectedLine(current, avail + 2) : !loaded ? '…' : '');
  const empty = loaded !== undefined && items.length === 0;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.fg('accent')} paddingX={1} overflow="hidden">
      <Box justifyContent="space-between">
        <Text bold wrap="truncate">
          My Callbacks · {loaded ? items.length : '…'} pending · you {agentTz}
        </Text>
        <Text color={theme.fg('muted')}> {position}</Text>
      </Box>
      <Text color={theme.fg('muted')} wrap="truncate">
        {empty ? ' ' : `  ${headerText(layout)}`}
      </Text>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {empty ? <NoCallbacks width={avail + 2} /> : null}
        {win.items.map((c, i) => (
          <ListRow key={items[win.start + i].key} selected={win.start + i === sel} focused>
            {rowText(c, layout)}
          </ListRow>
        ))}
      </Box>
      {mode.kind === 'confirm' && current ? (
        <CancelQuestion c={current} at={agentTime(current)} width={avail + 2} onYes={() => void cancel(current)} onNo={() => setMode({ kind: mode.from === 'details' ? 'details' : 'list' })} />
      ) : (
        <Box height={2} overflow="hidden">
          <Text color={note ? theme.fg('accent') : theme.fg('muted')}>{bottom}</Text>
        </Box>
      )}
    </Box>
  );
}

/** A key of a keymap, as help names it ("r"). */
const keyOf = (map: Keymap, id: string) => map.bindings.find((b) => b.id === id)?.keys[0] ?? '?';

/** An empty list says so, and how a callback is made, with the keys the key tables give. */
function NoCallbacks({ width }: { width: number }) {
  const theme = useTheme();
  const lines = [
    `On a call: ${keyOf(OUTBOUND_CALL, 'reschedule')} Reschedule Callback, or ${keyOf(OUTBOUND_CALL, 'newCallback')} New Callback (Genesys).`,
    `For any contact: Team Communicator (${keyOf(MAIN, 'focusTeam')}), find them, ${keyOf(TEAM, 'action')}, New Callback.`,
    'From a script: callbacks add, or callbacks book (Genesys).',
  ];
  return (
    <>
      <Text bold>No pending callbacks.</Text>
      <Text> </Text>
      <Text color={theme.fg('muted')}>To make one:</Text>
      {lines.map((l) => (
        <Text key={l} color={theme.fg('muted')} wrap="truncate">
          {clipWords(`· ${l}`, width)}
        </Text>
      ))}
    </>
  );
}

/** What the row abbreviates, in full, for the selected callback (whole parts, as many as fit). */
function selectedLine(c: MyCallback, width: number): string {
  return joinFitting([`${c.kind} callback ${c.id}`, c.state, c.contactName, c.campaign, c.contactTz], width);
}

/** "Cancel the callback for Ada Byron at Tue 24 Nov 14:30 EST? y/n", on the frame's last row. */
function CancelQuestion({ c, at, width, onYes, onNo }: { c: MyCallback; at: string; width: number; onYes: () => void; onNo: () => void }) {
  const theme = useTheme();
  useKeymap(CONFIRM, { yes: onYes, no: onNo }, { priority: 60, modal: true });
  const question = (name: string) => `Cancel the callback for ${name} at ${at}? y/n`;
  const name = fitName(c.contactName, Math.max(4, width - question('').length));
  return (
    <Box height={2} overflow="hidden">
      <Text color={theme.fg('warning')} bold>
        {question(name)}
      </Text>
    </Box>
  );
}

/** Whole parts joined with " · " while they fit: a part that does not fit is left out, never cut. */
export function joinFitting(parts: string[], width: number): string {
  let out = '';
  for (const p of parts) {
    const next = out ? `${out} · ${p}` : p;
    if (next.length > width) break;
    out = next;
  }
  return out;
}

function ListFrame({ width, height, title, position, footer, onBack }: { width: number; height: number; title: string; position: string; footer: string; onBack: () => void }) {
  useKeymap(MY_CALLBACK_DETAILS, { back: onBack }, { priority: 50, modal: true });
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1}>
      <Text bold>
        {title} {position}
      </Text>
      <Text>{footer}</Text>
    </Box>
  );
}

/** The callback opened: the booking (times for both, number, campaign or service, who booked it) and the contact. */
function Details({ c, width, height, note }: { c: MyCallback; width: number; height: number; note: string | null }) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const label = (s: string) => s.padEnd(10);
  const system = c.kind === 'Genesys' ? `Genesys Callback ${c.id}` : c.kind === 'Web' ? `Web Callback ${c.id}` : `${c.kind} callback · record ${c.id}`;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        {system} · {c.state}
      </Text>
      <Text wrap="truncate">
        {label('Due')}
        {c.till !== null ? `${engine.zones.formatPlain(c.dueAt, agentTz, 'ccc d LLL yyyy HH:mm')}-${engine.zones.format(c.till, agentTz, 'HH:mm')}` : engine.zones.format(c.dueAt, agentTz, 'ccc d LLL yyyy HH:mm')} for you ({agentTz})
      </Text>
      <Text wrap="truncate">
        {label('')}
        {c.till !== null ? `${engine.zones.formatPlain(c.dueAt, c.contactTz, 'ccc d LLL yyyy HH:mm')}-${engine.zones.format(c.till, c.contactTz, 'HH:mm')}` : engine.zones.format(c.dueAt, c.contactTz, 'ccc d LLL yyyy HH:mm')} for the contact ({c.contactTz})
      </Text>
      <Text wrap="truncate">
        {label('Number')}
        {formatPhone(c.number)}
      </Text>
      <Text wrap="truncate">
        {label(c.kind === 'Personal' || c.kind === 'Campaign' ? 'Campaign' : 'Service')}
        {c.campaign}
      </Text>
      <Text wrap="truncate">
        {label('Booked by')}
        {c.bookedBy ?? (c.kind === 'Web' ? 'the customer, on the web' : '—')}
        {c.interactionId ? ` · on your desktop (${c.interactionId}): o opens it` : ''}
      </Text>
      <Text> </Text>
      {c.contactId ? <ContactCard contactId={c.contactId} /> : <Text color={theme.fg('muted')}>No contact record</Text>}
      {note ? <Text color={theme.fg('accent')}>{note}</Text> : null}
    </Box>
  );
}

const NONE: MyCallback[] = [];
