/**
 * Every key the desktop handles, as data. One table per screen (context) feeds the input router,
 * the footer (entries with a `label`) and the `?` help overlay; a test fails when a handler has
 * no entry here or when two entries of one context share a key.
 */

export interface KeyBinding {
  id: string;
  keys: string[];
  description: string;
  /** Short label for the footer; entries without one appear only in help. */
  label?: string;
}

export interface Keymap {
  context: string;
  title: string;
  bindings: KeyBinding[];
}

const km = (context: string, title: string, bindings: KeyBinding[]): Keymap => ({ context, title, bindings });

export const GLOBAL = km('global', 'Global', [
  { id: 'help', keys: ['?', 'f1'], description: 'Open or close this help', label: 'help' },
  { id: 'quit', keys: ['ctrl+c'], description: 'Quit (asks for confirmation)' },
]);

export const LOGIN = km('login', 'Login', [
  { id: 'next', keys: ['tab', 'down'], description: 'Next field', label: 'next field' },
  { id: 'prev', keys: ['shift+tab', 'up'], description: 'Previous field' },
  { id: 'submit', keys: ['enter'], description: 'Log in', label: 'log in' },
  { id: 'quit', keys: ['esc'], description: 'Quit', label: 'quit' },
]);

export const MAIN = km('main', 'Main window', [
  { id: 'focusNext', keys: ['tab'], description: 'Next view', label: 'next view' },
  { id: 'focusPrev', keys: ['shift+tab'], description: 'Previous view' },
  { id: 'focusChannels', keys: ['1'], description: 'Go to My Channels' },
  { id: 'focusCampaigns', keys: ['2'], description: 'Go to My Campaigns' },
  { id: 'focusMessages', keys: ['3'], description: 'Go to My Messages' },
  { id: 'focusTeam', keys: ['4', '/'], description: 'Go to Team Communicator (search contacts)' },
  { id: 'focusInteractions', keys: ['5'], description: 'Go to the interactions' },
  { id: 'ready', keys: ['r'], description: 'Set status Ready', label: 'ready' },
  { id: 'notReady', keys: ['n'], description: 'Set status Not Ready', label: 'not ready' },
  { id: 'pause', keys: ['p'], description: 'Pause or resume the simulated clock' },
  { id: 'logout', keys: ['L'], description: 'Log out' },
  { id: 'quit', keys: ['q'], description: 'Quit (asks for confirmation)', label: 'quit' },
]);

export const CHANNELS = km('channels', 'My Channels', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous channel' },
  { id: 'down', keys: ['down', 'j'], description: 'Next channel' },
  { id: 'toggle', keys: ['enter', 'space'], description: 'Toggle the channel Ready / Not Ready', label: 'toggle' },
]);

export const CAMPAIGNS = km('campaigns', 'My Campaigns', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous campaign' },
  { id: 'down', keys: ['down', 'j'], description: 'Next campaign' },
]);

export const MESSAGES = km('messages', 'My Messages', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous message' },
  { id: 'down', keys: ['down', 'j'], description: 'Next message' },
  { id: 'open', keys: ['enter'], description: 'Read the message (marks it read)', label: 'read' },
]);

export const TEAM = km('team', 'Team Communicator', [
  { id: 'up', keys: ['up'], description: 'Previous contact' },
  { id: 'down', keys: ['down'], description: 'Next contact' },
  { id: 'action', keys: ['enter'], description: 'Action menu for the contact', label: 'actions' },
  { id: 'clear', keys: ['esc'], description: 'Clear the search', label: 'clear' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the last character' },
]);

export const INTERACTIONS = km('interactions', 'Interactions', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous interaction' },
  { id: 'down', keys: ['down', 'j'], description: 'Next interaction' },
  { id: 'accept', keys: ['a', 'enter'], description: 'Accept the alerting interaction', label: 'accept' },
  { id: 'end', keys: ['e'], description: 'End the interaction', label: 'end' },
  { id: 'done', keys: ['d'], description: 'Mark done (closes it)', label: 'done' },
]);

export const MESSAGE_VIEW = km('message-view', 'Message', [
  { id: 'close', keys: ['esc', 'enter'], description: 'Close the message', label: 'close' },
]);

export const ACTION_MENU = km('action-menu', 'Action menu', [
  { id: 'up', keys: ['up'], description: 'Previous action' },
  { id: 'down', keys: ['down'], description: 'Next action' },
  { id: 'choose', keys: ['enter'], description: 'Run the action', label: 'choose' },
  { id: 'close', keys: ['esc'], description: 'Close the menu', label: 'close' },
]);

export const CONFIRM_QUIT = km('confirm-quit', 'Quit?', [
  { id: 'yes', keys: ['y', 'enter'], description: 'Quit callback-desk', label: 'quit' },
  { id: 'no', keys: ['n', 'esc'], description: 'Stay', label: 'stay' },
]);

export const HELP = km('help', 'Help', [
  { id: 'close', keys: ['esc', '?', 'f1', 'q'], description: 'Close help', label: 'close' },
  { id: 'up', keys: ['up', 'k'], description: 'Scroll up' },
  { id: 'down', keys: ['down', 'j'], description: 'Scroll down' },
]);

export const ALL_KEYMAPS: Keymap[] = [
  GLOBAL,
  LOGIN,
  MAIN,
  CHANNELS,
  CAMPAIGNS,
  MESSAGES,
  TEAM,
  INTERACTIONS,
  MESSAGE_VIEW,
  ACTION_MENU,
  CONFIRM_QUIT,
  HELP,
];

export function bindingFor(map: Keymap, key: string): KeyBinding | undefined {
  return map.bindings.find((b) => b.keys.includes(key));
}

/** "?, f1": every key of an entry, for the help overlay. */
export function keyLabel(b: KeyBinding): string {
  return b.keys.join(', ');
}

/** Footer entries of the active keymaps, first map first, cut to the width. */
export function footerItems(maps: Keymap[], width: number, disabled: Record<string, string> = {}): string {
  const parts: string[] = [];
  let used = 0;
  for (const m of maps) {
    for (const b of m.bindings) {
      if (!b.label || disabled[`${m.context}.${b.id}`]) continue;
      const text = `${b.keys[0]} ${b.label}`;
      if (parts.some((p) => p.startsWith(`${b.keys[0]} `))) continue;
      if (used + text.length + 2 > width) return parts.join('  ');
      parts.push(text);
      used += text.length + 2;
    }
  }
  return parts.join('  ');
}
