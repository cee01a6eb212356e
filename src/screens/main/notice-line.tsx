import { useEffect, useReducer } from 'react';
import { Text } from '../components/text.js';
import type { Engine, StoreTrouble } from '../../engine/engine.js';
import type { Contact, Interaction } from '../../engine/domain.js';
import { useContactsOf, useDesk, useEngineState, useNow } from '../desk-context.js';
import { useKeySeq, useKeymap } from '../keypress.js';
import { ALERTS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { LogoutCountdown } from '../components/logout-countdown.js';
import { clipWords } from '../text-fit.js';

/** How long an acknowledgement stays, unless the next key replaces it first. */
export const ACK_MS = 5000;

export interface Ack {
  text: string;
  /** ClockControl.wallNow() when it was said. */
  at: number;
  /** The key that caused it: the next key makes it stale. */
  seq: number;
}

/**
 * Acknowledgements ("Status: Ready", "callback booked") live outside React state, so saying one
 * re-renders the notice line only, not the window that said it.
 */
export class AckStore {
  private ack: Ack | null = null;
  private listeners = new Set<() => void>();
  set(text: string, at: number, seq: number): void {
    this.ack = text ? { text, at, seq } : null;
    for (const fn of [...this.listeners]) fn();
  }
  get(): Ack | null {
    return this.ack;
  }
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** An interaction the agent must see: a call the dialer connected, or anything alerting. */
export function isAlert(it: Interaction): boolean {
  return it.state === 'alerting' || (it.state === 'connected' && it.outbound?.origin === 'Dialer');
}

/** Alerts, the most urgent first: connected calls, then alerting interactions newest first. */
export function alertsOf(engine: Engine, seen: ReadonlySet<string>): Interaction[] {
  return engine
    .openInteractions()
    .filter((it) => isAlert(it) && !(it.state === 'connected' && seen.has(it.id)))
    .sort((a, b) => (a.state === 'connected' ? 0 : 1) - (b.state === 'connected' ? 0 : 1) || b.updatedAt - a.updatedAt);
}

function alertText(it: Interaction, c: Contact | undefined, now: number): string {
  const who = c ? `${c.firstName} ${c.lastName}` : '';
  const subject = who && !it.subject.includes(who) ? `${it.subject} · ${who}` : it.subject;
  if (it.state === 'connected') {
    const s = Math.max(0, Math.floor((now - (it.outbound?.connectedAt ?? it.updatedAt)) / 1000));
    return `Connected ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}: ${subject}`;
  }
  return `Alerting: ${subject}`;
}

/** What the notice line says while the store refuses the desktop's writes. */
function storeTroubleLine(trouble: StoreTrouble, where: string, refusedNow: boolean): string {
  switch (trouble.kind) {
    case 'busy':
      // The answer to a key just refused is this same reason: said once, with what to do.
      return refusedNow ? `⏳ not saved: the ${where} is busy; try again when this line goes` : `⏳ ${where} busy: another process is writing; nothing is saved until it ends`;
    case 'connection':
      return `⚠ ${where} unreachable: retrying; nothing is saved until it answers (${trouble.message})`;
    case 'full':
      return '⚠ disk full: nothing is saved until space is freed; the clock goes on and catches up';
    default:
      return `⚠ not saved: ${trouble.message}`;
  }
}

/**
 * The line above the footer: a queue, not the last thing said. A connected call, an alerting
 * interaction and a logout countdown outrank acknowledgements; an acknowledgement goes when the
 * next key comes or after ACK_MS.
 */
export function NoticeLine({
  acks,
  seen,
  openId,
  width,
  onOpen,
  onFlash,
}: {
  acks: AckStore;
  seen: ReadonlySet<string>;
  openId: string | null;
  width: number;
  onOpen: (id: string) => void;
  onFlash: (m: string) => void;
}) {
  const theme = useTheme();
  const { clock } = useDesk();
  const seq = useKeySeq();
  const now = useNow(1000);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => acks.subscribe(rerender), [acks]);
  const ack = acks.get();
  // A real clock wakes the line when the acknowledgement expires; a script's clock expires it
  // when the script moves time, so recordings stay the same on every machine.
  useEffect(() => {
    if (!ack || !clock.realtime) return;
    const t = setTimeout(rerender, Math.max(0, ack.at + ACK_MS - clock.wallNow()) + 10);
    return () => clearTimeout(t);
  }, [ack, clock]);
  const { alerts, engine, logoutPending, trouble } = useEngineState((e) => ({
    engine: e,
    alerts: alertsOf(e, seen).filter((it) => it.id !== openId),
    logoutPending: e.myLogout !== null && !e.myLogout.authorized,
    trouble: e.storeTrouble,
  }));
  const contacts = useContactsOf(alerts.slice(0, 1).map((it) => it.contactId));
  // N opens what this line announces; with nothing announced, a connected dialer call not on
  // screen (the help says so). Above the main window's modal views, below text fields and forms.
  const target = alerts[0] ?? engine.openInteractions().find((it) => it.id !== openId && it.state === 'connected' && it.outbound?.origin === 'Dialer');
  useKeymap(ALERTS, { newestAlert: () => target && onOpen(target.id) }, { priority: 56, disabled: { newestAlert: !target && 'nothing is alerting' }, onDisabled: onFlash });
  const ackLive = ack !== null && ack.seq >= seq && clock.wallNow() - ack.at < ACK_MS;
  const more = (n: number) => (n > 0 ? ` (+${n} more)` : '');
  const troubleLine = trouble ? storeTroubleLine(trouble, engine.store.backend === 'sqlite' ? 'state file' : 'database', ackLive && ack.text.startsWith('not saved')) : '';
  // The store cannot be reached or written at all: nothing the agent does is saved, said first,
  // above the alerts (the Interactions pane still lists them).
  if (trouble && trouble.kind !== 'busy') {
    return (
      <Text color={theme.fg('warning')} wrap="truncate">
        {clipWords(troubleLine, width - 1)}
      </Text>
    );
  }
  if (alerts.length > 0) {
    const top = alerts[0];
    const tail = ` · N opens it${more(alerts.length - 1)}`;
    const alert = `☎ ${clipWords(alertText(top, top.contactId ? contacts.get(top.contactId) : undefined, now), width - 3 - tail.length)}${tail}`;
    // The answer to the key just pressed still shows, after the alert, while there is room.
    const room = width - alert.length - 5;
    return (
      <Text wrap="truncate">
        <Text color={theme.fg('warning')} bold>
          {alert}
        </Text>
        {ackLive && room >= 20 ? <Text color={theme.fg('accent')}> │ » {clipWords(ack.text, room)}</Text> : null}
      </Text>
    );
  }
  if (logoutPending)
    return (
      <Text color={theme.fg('warning')} wrap="truncate">
        <LogoutCountdown /> · awaiting logoff authorization{ackLive ? ` · ${clipWords(ack.text, Math.max(0, width - 50))}` : ''}
      </Text>
    );
  // Another process holds the state file (a large import): said for as long as it lasts, since
  // nothing the agent does is saved meanwhile.
  if (trouble)
    return (
      <Text color={theme.fg('warning')} wrap="truncate">
        {clipWords(troubleLine, width - 1)}
      </Text>
    );
  return (
    <Text color={theme.fg('accent')} wrap="truncate">
      {ackLive ? `» ${clipWords(ack.text, width - 3)}` : ' '}
    </Text>
  );
}
