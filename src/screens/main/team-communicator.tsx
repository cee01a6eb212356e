import { useEffect, useState } from 'react';
import { Text } from '../components/text.js';
import { useDesk, useEngine, useStoreQuery } from '../desk-context.js';
import type { Contact } from '../../engine/domain.js';
import { findsAny } from '../../engine/directory-search.js';
import { useKeymap } from '../keypress.js';
import { TEAM, TEAM_SEARCH } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex, visibleWindow } from '../components/pane.js';
import { TextField } from '../components/text-field.js';
import { clipWords } from '../text-fit.js';

/**
 * At the desk the search waits for this pause in typing: on a list of a million contacts a
 * search that finds few takes a third of a second, and each key should be drawn at once.
 */
const SEARCH_PAUSE_MS = 150;

/** The city of an IANA zone ("America/St_Johns" -> "St Johns"): the part a person reads. */
const zoneCity = (tz: string) => tz.slice(tz.lastIndexOf('/') + 1).replace(/_/g, ' ');

/**
 * Team Communicator: a search field and the contacts it finds; Enter opens a contact's Action
 * menu. While the search field has focus it takes every text key (so "r" is a letter, not
 * Ready); ↓, Enter or Esc leave it for the list, where the main window's keys work again. The
 * query and where the focus was live in the main window, so they survive the Action menu.
 */
export function TeamCommunicator({
  focused,
  height,
  width,
  onAction,
  memory,
  inSearch,
  setInSearch,
}: {
  focused: boolean;
  height: number;
  width: number;
  onAction: (contactId: string) => void;
  /** Where the query and the chosen row outlive the pane (the Action menu and New Callback replace the panes for a while). */
  memory: { query: string; sel: number };
  inSearch: boolean;
  setInSearch: (v: boolean) => void;
}) {
  const theme = useTheme();
  const [query, setQuery, onKey, field] = useTextField(memory.query, 40);
  memory.query = query;
  const [sel, setSelState] = useState(memory.sel);
  const setSel = (n: number) => {
    memory.sel = n;
    setSelState(n);
  };
  // The text searched. A scripted run (demos, tests) searches at every key, so its frames do
  // not depend on the machine's speed.
  const { clock } = useDesk();
  const [searched, setSearched] = useState(query);
  const waiting = clock.realtime && searched !== query;
  useEffect(() => {
    if (!waiting) return;
    const t = setTimeout(() => setSearched(query), query ? SEARCH_PAUSE_MS : 0);
    return () => clearTimeout(t);
  }, [waiting, query]);
  const engine = useEngine();
  const text = clock.realtime ? searched : query;
  // The contacts found, each with its first number (the row shows it).
  const found = useStoreQuery(
    async (q, e) => {
      const contacts = await e.searchContacts(text, 50, q);
      const numbers = new Map<string, string>();
      for (const c of contacts) numbers.set(c.id, (await q.records.ofContact(c.id))[0]?.contact_info ?? '');
      return { contacts, numbers };
    },
    [text],
    { known: findsAny(text) ? undefined : NOTHING_FOUND },
  );
  const results = found?.contacts ?? NONE;
  const selected = clampIndex(sel, results.length);
  const act = async () => {
    // Enter right after typing: the text on screen, not the last one searched.
    const list = waiting || !found ? await engine.searchContacts(query, 50) : results;
    if (waiting) setSearched(query);
    const c = list[clampIndex(sel, list.length)];
    if (!c) return;
    setInSearch(false);
    onAction(c.id);
  };
  useKeymap(
    TEAM_SEARCH,
    {
      toList: () => {
        setSearched(query);
        setInSearch(false);
      },
      action: () => void act(),
      leave: () => (query ? (setQuery(''), setSel(0)) : setInSearch(false)),
    },
    {
      // Above the main window's letters and the alert key: a focused field takes its text.
      priority: 58,
      active: focused && inSearch,
      takesText: true,
      field: (key, text) => {
        if (!onKey(key, text)) return false;
        setSel(0);
        return true;
      },
    },
  );
  useKeymap(
    TEAM,
    {
      up: () => (selected === 0 ? setInSearch(true) : setSel(selected - 1)),
      down: () => setSel(clampIndex(selected + 1, results.length)),
      action: () => void act(),
      search: () => setInSearch(true),
    },
    { priority: 20, active: focused && !inSearch },
  );
  const rows = Math.max(1, height - 4);
  const win = visibleWindow(results, selected, rows);
  const position = results.length > rows ? `${selected + 1}/${results.length}${results.length === 50 ? '+' : ''}` : '';
  return (
    <Pane title="Team Communicator" focused={focused} height={height} width={width} hint={position}>
      <Text wrap="truncate">
        {focused && inSearch ? '› ' : '  '}Search: <TextField {...field} focused={focused && inSearch} placeholder={focused && inSearch ? ' name or number' : ''} />
        <Text color={theme.fg('muted')}>{(waiting || !found) && query ? '  …' : query ? `  ${results.length}${results.length === 50 ? '+' : ''} found` : ''}</Text>
      </Text>
      {win.items.map((c, i) => (
        // One cursor in the pane: on the search field while typing, on the chosen row otherwise.
        <ListRow key={c.id} selected={win.start + i === selected && !(focused && inSearch)} focused={focused && !inSearch}>
          {clipWords(`${`${c.firstName} ${c.lastName}`.padEnd(18)} ${(found?.numbers.get(c.id) ?? '').padEnd(15)} ${zoneCity(c.tz)}`, width - 6)}
        </ListRow>
      ))}
    </Pane>
  );
}

const NONE: Contact[] = [];
const NOTHING_FOUND = { contacts: NONE, numbers: new Map<string, string>() };
