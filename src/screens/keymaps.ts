// Long on purpose: every screen's key table in one file, so one test checks them all for clashes
// and help can list any of them.
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
  /** Footer text when the first key and the label do not say it well ("↑↓ minute"). */
  hint?: string;
  /** Label on the window's toolbar, for the actions a toolbar shows (WDE's call-action bar). */
  toolbar?: string;
}

export interface Keymap {
  context: string;
  title: string;
  bindings: KeyBinding[];
  /**
   * Bindings unavailable where the map is in force now, by id, with the reason. The view that
   * registers the map says so; the footer leaves them out, help and the toolbar show them
   * disabled with the reason, and pressing one says the reason.
   */
  disabled?: Record<string, string>;
  /** Keys that work over many views (N for alerts): listed after the view's own, before global. */
  ambient?: boolean;
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
  { id: 'myCallbacks', keys: ['6', 'c'], description: 'Open My Callbacks: your pending callbacks and bookings', label: 'callbacks' },
  { id: 'myStatistics', keys: ['7', 'S'], description: 'Open My Statistics: your calls handled, talk time and callbacks set today' },
  { id: 'ready', keys: ['r'], description: 'Set status Ready', label: 'ready' },
  { id: 'notReady', keys: ['n'], description: 'Set status Not Ready', label: 'not ready' },
  { id: 'pause', keys: ['p'], description: 'Pause or resume the simulated clock' },
  { id: 'logout', keys: ['L'], description: 'Log out (negotiated: may wait for a call being dialed)', label: 'log out' },
  { id: 'quit', keys: ['q'], description: 'Quit (asks for confirmation)', label: 'quit' },
]);

export const ALERTS: Keymap = {
  ...km('alerts', 'Alerts', [{ id: 'newestAlert', keys: ['N'], description: 'Open what the notice line announces: the connected call or the newest alerting interaction', label: 'alert' }]),
  ambient: true,
};

export const CHANNELS = km('channels', 'My Channels', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous channel' },
  { id: 'down', keys: ['down', 'j'], description: 'Next channel' },
  { id: 'toggle', keys: ['enter', 'space'], description: 'Toggle the channel Ready / Not Ready', label: 'toggle' },
  { id: 'logout', keys: ['o'], description: 'Log out from the voice channel (negotiated with the dialer)', label: 'log out' },
]);

export const CAMPAIGNS = km('campaigns', 'My Campaigns', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous campaign' },
  { id: 'down', keys: ['down', 'j'], description: 'Next campaign' },
  { id: 'getRecord', keys: ['enter', 'g'], description: 'Get a record from a Preview (Manual) campaign', label: 'get record' },
]);

export const MESSAGES = km('messages', 'My Messages', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous message' },
  { id: 'down', keys: ['down', 'j'], description: 'Next message' },
  { id: 'open', keys: ['enter'], description: 'Read the message (marks it read)', label: 'read' },
]);

export const TEAM_SEARCH = km('team-search', 'Team Communicator search', [
  { id: 'toList', keys: ['down'], description: 'To the contacts found (the main window keys work there)', label: 'results' },
  { id: 'action', keys: ['enter'], description: 'Action menu for the highlighted contact', label: 'actions' },
  { id: 'leave', keys: ['esc'], description: 'Clear the search; on an empty search, leave the field', label: 'clear' },
]);

export const TEAM = km('team', 'Team Communicator', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous contact (from the first, back to the search)' },
  { id: 'down', keys: ['down', 'j'], description: 'Next contact' },
  { id: 'action', keys: ['enter'], description: 'Action menu for the contact', label: 'actions' },
  { id: 'search', keys: ['/', 's'], description: 'Type in the search field', label: 'search' },
]);

export const INTERACTIONS = km('interactions', 'Interactions', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous interaction' },
  { id: 'down', keys: ['down', 'j'], description: 'Next interaction' },
  { id: 'open', keys: ['enter', 'o'], description: 'Open the interaction window', label: 'open' },
  { id: 'accept', keys: ['a'], description: 'Accept the alerting interaction', label: 'accept' },
  { id: 'end', keys: ['e'], description: 'End the interaction', label: 'end' },
  { id: 'done', keys: ['d'], description: 'Mark done (closes it)', label: 'done' },
]);

export const MESSAGE_VIEW = km('message-view', 'Message', [
  { id: 'open', keys: ['enter'], description: 'Open the interaction the message is about while it is open; else close', label: 'open' },
  { id: 'close', keys: ['esc'], description: 'Close the message', label: 'close' },
]);

export const CARD_VIEW = km('card-view', 'Contact', [{ id: 'close', keys: ['esc', 'enter'], description: 'Close', label: 'close' }]);

/** The keys of a list (SelectList, use-select-list.ts): the view puts the list's handlers on them. */
const LIST_KEYS = (what: string): KeyBinding[] => [
  { id: 'up', keys: ['up', 'k'], description: `Previous ${what}` },
  { id: 'down', keys: ['down', 'j'], description: `Next ${what}` },
  { id: 'choose', keys: ['enter'], description: `Choose the ${what}`, label: 'choose' },
  { id: 'number', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], description: `Choose the ${what} by its place in the list` },
];

export const DROPDOWN_LIST = km('dropdown-list', 'Drop-down list', [...LIST_KEYS('entry'), { id: 'close', keys: ['esc'], description: 'Close the list, keeping the value', label: 'close' }]);

export const ACTION_MENU = km('action-menu', 'Action menu', [...LIST_KEYS('action'), { id: 'close', keys: ['esc'], description: 'Close the menu', label: 'close' }]);

export const OUTBOUND_CALL = km('outbound-call', 'Outbound call', [
  { id: 'accept', keys: ['a'], description: 'Accept a pushed record (Push Preview)', label: 'accept', toolbar: 'Accept' },
  { id: 'reject', keys: ['n'], description: 'Reject a pushed record: it goes back to the list (RecordReject)', toolbar: 'Reject' },
  { id: 'decline', keys: ['m'], description: 'Decline a pushed record: not called in this campaign (RecordCancel)', toolbar: 'Decline' },
  { id: 'dial', keys: ['c'], description: 'Call: dial the previewed number', label: 'call', toolbar: 'Call' },
  { id: 'end', keys: ['e'], description: 'End Call', label: 'end call', toolbar: 'End Call' },
  { id: 'reschedule', keys: ['r'], description: 'Reschedule Callback', label: 'reschedule', toolbar: 'Reschedule Callback' },
  { id: 'done', keys: ['d'], description: 'Done: commit the call (and its callback)', label: 'done', toolbar: 'Done' },
  { id: 'disposition', keys: ['s'], description: 'Choose a disposition code', label: 'disposition', toolbar: 'Disposition' },
  { id: 'record', keys: ['u'], description: 'Update the customer record', label: 'record', toolbar: 'Record' },
  { id: 'dnc', keys: ['x'], description: 'Do Not Call: never dial this contact again', toolbar: 'DNC' },
  { id: 'newCallback', keys: ['b'], description: 'New Callback (Genesys Callback) for this contact', label: 'new callback', toolbar: 'New Callback' },
  { id: 'back', keys: ['esc'], description: 'Back to the main window (the call stays open)', label: 'back' },
]);

export const INTERACTION = km('interaction', 'Interaction', [
  { id: 'accept', keys: ['a'], description: 'Accept', label: 'accept', toolbar: 'Accept' },
  { id: 'end', keys: ['e'], description: 'End the interaction', label: 'end', toolbar: 'End' },
  { id: 'done', keys: ['d'], description: 'Mark done (closes it)', label: 'done', toolbar: 'Done' },
  { id: 'reschedule', keys: ['r'], description: 'Reschedule this callback (callback interactions)', label: 'reschedule', toolbar: 'Reschedule Callback' },
  { id: 'newCallback', keys: ['b'], description: 'New Callback (Genesys Callback) for this contact', label: 'new callback', toolbar: 'New Callback' },
  { id: 'back', keys: ['esc'], description: 'Back to the main window', label: 'back' },
]);

export const WEB_CALLBACK = km('web-callback', 'Web Callback Preview', [
  { id: 'accept', keys: ['a'], description: 'Accept the Web Callback notification', label: 'accept', toolbar: 'Accept' },
  { id: 'call', keys: ['c'], description: 'Call the To number', label: 'call', toolbar: 'Call' },
  { id: 'end', keys: ['e'], description: 'End the call', label: 'end', toolbar: 'End' },
  { id: 'reschedule', keys: ['r'], description: 'Reschedule Callback (On, From, Till, To)', label: 'reschedule', toolbar: 'Reschedule Callback' },
  { id: 'done', keys: ['d'], description: 'Done: finish, or commit the reschedule', label: 'done', toolbar: 'Done' },
  { id: 'newCallback', keys: ['b'], description: 'New Callback (Genesys Callback) for this contact', toolbar: 'New Callback' },
  { id: 'back', keys: ['esc'], description: 'Back to the main window', label: 'back' },
]);

export const RESCHEDULE = km('reschedule', 'Reschedule Callback', [
  { id: 'next', keys: ['tab', 'down'], description: 'Next field', label: 'next field' },
  { id: 'prev', keys: ['shift+tab', 'up'], description: 'Previous field' },
  { id: 'close', keys: ['esc'], description: 'Close the view, keeping a valid callback', label: 'close' },
]);

export const FIELD_CHECKBOX = km('field-checkbox', 'Check box', [
  { id: 'toggle', keys: ['space', 'enter'], description: 'Check or clear the box', label: 'toggle' },
]);

export const FIELD_DATE = km('field-date', 'Date field', [
  { id: 'apply', keys: ['enter'], description: 'Read the typed date ("tomorrow 3pm", "next monday", "12/24 9:30")', label: 'apply' },
  { id: 'calendar', keys: ['f4'], description: 'Open the calendar', label: 'calendar' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the last character' },
  { id: 'dayBack', keys: ['left'], description: 'One day earlier' },
  { id: 'dayForward', keys: ['right'], description: 'One day later' },
]);

export const FIELD_TIME = km('field-time', 'Time field', [
  { id: 'apply', keys: ['enter'], description: 'Read the typed time ("15:30", "3pm")', label: 'apply' },
  { id: 'minuteUp', keys: ['up'], description: 'One minute later', label: 'minute', hint: '↑↓ minute' },
  { id: 'minuteDown', keys: ['down'], description: 'One minute earlier' },
  { id: 'hourUp', keys: ['pageup'], description: 'One hour later', label: 'hour', hint: 'pgup/pgdn hour' },
  { id: 'hourDown', keys: ['pagedown'], description: 'One hour earlier' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the last character' },
]);

export const FIELD_CHOICE = km('field-choice', 'Choice', [
  { id: 'prevChoice', keys: ['left'], description: 'Previous choice', label: 'choose', hint: '←→ choose' },
  { id: 'nextChoice', keys: ['right', 'space'], description: 'Next choice' },
]);

export const FIELD_DROPDOWN = km('field-dropdown', 'Drop-down field', [
  { id: 'prevChoice', keys: ['left'], description: 'Previous choice', label: 'choose', hint: '←→ choose' },
  { id: 'nextChoice', keys: ['right'], description: 'Next choice' },
  { id: 'open', keys: ['enter', 'space', 'f4'], description: 'Open the drop-down list', label: 'list' },
]);

export const FIELD_BUTTON = km('field-button', 'Button', [
  { id: 'press', keys: ['enter', 'space'], description: 'Press the button', label: 'press' },
]);

export const CALENDAR = km('calendar', 'Calendar', [
  { id: 'dayBack', keys: ['left'], description: 'Previous day' },
  { id: 'dayForward', keys: ['right'], description: 'Next day' },
  { id: 'weekBack', keys: ['up'], description: 'Previous week' },
  { id: 'weekForward', keys: ['down'], description: 'Next week' },
  { id: 'monthBack', keys: ['pageup'], description: 'Previous month', label: 'month', hint: 'pgup/pgdn month' },
  { id: 'monthForward', keys: ['pagedown'], description: 'Next month' },
  { id: 'yearBack', keys: ['home'], description: 'Previous year', label: 'year', hint: 'home/end year' },
  { id: 'yearForward', keys: ['end'], description: 'Next year' },
  { id: 'pick', keys: ['enter', 'space'], description: 'Pick the day', label: 'pick' },
  { id: 'close', keys: ['esc'], description: 'Close without picking', label: 'close' },
]);

export const ADD_NUMBER = km('add-number', 'New Phone Number', [
  { id: 'next', keys: ['tab', 'down'], description: 'Next field', label: 'next field' },
  { id: 'prev', keys: ['shift+tab', 'up'], description: 'Previous field' },
  { id: 'save', keys: ['enter'], description: 'Add the number to the contact', label: 'add' },
  { id: 'cancel', keys: ['esc'], description: 'Cancel', label: 'cancel' },
  { id: 'prevType', keys: ['left'], description: 'Previous phone type (on Type)' },
  { id: 'nextType', keys: ['right'], description: 'Next phone type (on Type)' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the last character' },
]);

export const PICK_LIST = km('pick-list', 'Choose', [...LIST_KEYS('entry'), { id: 'cancel', keys: ['esc'], description: 'Cancel', label: 'cancel' }]);

export const RECORD_EDIT = km('record-edit', 'Update customer record', [
  { id: 'up', keys: ['up', 'shift+tab'], description: 'Previous field' },
  { id: 'down', keys: ['down', 'tab'], description: 'Next field', label: 'next field' },
  { id: 'save', keys: ['enter'], description: 'Save the record', label: 'save' },
  { id: 'cancel', keys: ['esc'], description: 'Cancel', label: 'cancel' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the character before the cursor (←/→ move it)' },
]);

export const GENESYS_FORM = km('genesys-form', 'Callback', [
  { id: 'next', keys: ['tab'], description: 'Next field', label: 'next field' },
  { id: 'prev', keys: ['shift+tab'], description: 'Previous field' },
  { id: 'close', keys: ['esc'], description: 'Leave the form without booking (asks first when something was changed)', label: 'leave' },
]);

export const ZONE_PICKER = km('zone-picker', 'Time zone', [
  { id: 'toList', keys: ['down'], description: 'Into the matching zones', label: 'matches', hint: '↓ matches' },
  { id: 'pick', keys: ['enter'], description: 'Use the first matching zone', label: 'pick zone' },
  { id: 'erase', keys: ['backspace'], description: 'Delete the character before the cursor' },
]);

export const ZONE_LIST = km('zone-list', 'Matching time zones', [...LIST_KEYS('zone'), { id: 'close', keys: ['esc'], description: 'Back to the zone field', label: 'back' }]);

export const SLOT_GRID = km('slot-grid', 'Slot grid', [
  { id: 'left', keys: ['left'], description: 'Previous slot', hint: '←↑↓→ slot', label: 'slot' },
  { id: 'right', keys: ['right'], description: 'Next slot' },
  { id: 'up', keys: ['up'], description: 'Slot above' },
  { id: 'down', keys: ['down'], description: 'Slot below' },
  { id: 'prevDay', keys: ['pageup'], description: 'Previous day', hint: 'pgup/pgdn day', label: 'day' },
  { id: 'nextDay', keys: ['pagedown'], description: 'Next day' },
  { id: 'choose', keys: ['enter', 'space'], description: 'Choose the slot (then OK books it)', label: 'choose' },
]);

export const LOGOUT_NOTICE = km('logout-notice', 'Awaiting logoff authorization', [
  { id: 'dismiss', keys: ['esc', 'enter'], description: 'Dismiss the message (the countdown goes on in My Messages and the status bar)', label: 'dismiss' },
  { id: 'cancel', keys: ['c'], description: 'Cancel the logout', label: 'cancel logout' },
]);

export const CONFIRM = km('confirm', 'Confirm', [
  { id: 'yes', keys: ['y'], description: 'Yes', label: 'yes' },
  { id: 'no', keys: ['n', 'esc'], description: 'No', label: 'no' },
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

export const MY_CALLBACKS = km('my-callbacks', 'My Callbacks', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous callback' },
  { id: 'down', keys: ['down', 'j'], description: 'Next callback' },
  { id: 'pageUp', keys: ['pageup'], description: 'A page of callbacks up' },
  { id: 'pageDown', keys: ['pagedown'], description: 'A page of callbacks down' },
  { id: 'first', keys: ['home'], description: 'The soonest callback' },
  { id: 'last', keys: ['end'], description: 'The latest callback' },
  { id: 'open', keys: ['enter'], description: 'Open the callback: the contact and the booking, or its interaction when it is on the desktop', label: 'open' },
  { id: 'reschedule', keys: ['r'], description: 'Reschedule the callback (the form of its system: OCS, Genesys Callback or Web Callback)', label: 'reschedule' },
  { id: 'cancel', keys: ['x'], description: 'Cancel the callback (asks first)', label: 'cancel' },
  { id: 'close', keys: ['esc'], description: 'Close My Callbacks', label: 'close' },
]);

export const MY_CALLBACK_DETAILS = km('my-callback-details', 'Callback', [
  { id: 'reschedule', keys: ['r'], description: 'Reschedule this callback', label: 'reschedule' },
  { id: 'cancel', keys: ['x'], description: 'Cancel this callback (asks first)', label: 'cancel' },
  { id: 'openInteraction', keys: ['o'], description: 'Open its interaction on the desktop (when it is due and offered)' },
  { id: 'back', keys: ['esc', 'enter'], description: 'Back to My Callbacks', label: 'back' },
]);


export const MY_STATISTICS = km('my-statistics', 'My Statistics', [{ id: 'close', keys: ['esc', 'enter'], description: 'Close My Statistics', label: 'close' }]);

// ---- the supervisor's screen (callback-desk supervisor) ----------------------------------------

export const SUPERVISOR = km('supervisor', 'Supervisor', [
  { id: 'focusNext', keys: ['tab'], description: 'Next view (campaigns, agents)', label: 'next view' },
  { id: 'focusPrev', keys: ['shift+tab'], description: 'Previous view' },
  { id: 'quit', keys: ['q', 'esc'], description: 'Quit the supervisor (nothing to save: every change is committed at once)', label: 'quit' },
]);

export const SUPERVISOR_CAMPAIGNS = km('supervisor-campaigns', 'Campaigns', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous campaign' },
  { id: 'down', keys: ['down', 'j'], description: 'Next campaign' },
  { id: 'startStop', keys: ['s'], description: 'Start the campaign, or stop it when it runs', label: 'start/stop' },
  { id: 'loadUnload', keys: ['l'], description: 'Load the campaign, or unload it when loaded or stopped' },
  { id: 'mode', keys: ['m'], description: 'Next dialing mode: Preview, Push Preview, Progressive, Predictive', label: 'mode' },
  { id: 'targetUp', keys: ['+', '='], description: 'Raise the abandon target by 0.5%', label: 'target', hint: '+/- target' },
  { id: 'targetDown', keys: ['-'], description: 'Lower the abandon target by 0.5%' },
]);

export const SUPERVISOR_AGENTS = km('supervisor-agents', 'Agents', [
  { id: 'up', keys: ['up', 'k'], description: 'Previous agent' },
  { id: 'down', keys: ['down', 'j'], description: 'Next agent' },
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
  OUTBOUND_CALL,
  INTERACTION,
  WEB_CALLBACK,
  RESCHEDULE,
  FIELD_CHECKBOX,
  FIELD_DATE,
  FIELD_TIME,
  FIELD_CHOICE,
  FIELD_DROPDOWN,
  DROPDOWN_LIST,
  ZONE_LIST,
  FIELD_BUTTON,
  CALENDAR,
  ADD_NUMBER,
  PICK_LIST,
  RECORD_EDIT,
  GENESYS_FORM,
  LOGOUT_NOTICE,
  ZONE_PICKER,
  SLOT_GRID,
  CONFIRM,
  CONFIRM_QUIT,
  HELP,
  MY_CALLBACKS,
  MY_CALLBACK_DETAILS,
  MY_STATISTICS,
  ALERTS,
  CARD_VIEW,
  TEAM_SEARCH,
  SUPERVISOR,
  SUPERVISOR_CAMPAIGNS,
  SUPERVISOR_AGENTS,
];

export function bindingFor(map: Keymap, key: string): KeyBinding | undefined {
  return map.bindings.find((b) => b.keys.includes(key));
}

/** "?, f1": every key of an entry, for the help overlay. */
export function keyLabel(b: KeyBinding): string {
  return b.keys.join(', ');
}

/**
 * Footer entries of the active keymaps, first map first, cut to the width. The global entries
 * (help) are kept whatever the width: "? help" must always be on screen.
 */
export function footerItems(maps: Keymap[], width: number): string {
  const global = maps.filter((m) => m.context === 'global');
  const reserved = global.flatMap((m) => m.bindings.filter((b) => b.label && !m.disabled?.[b.id]).map((b) => b.hint ?? `${b.keys[0]} ${b.label}`));
  const tail = reserved.join('  ');
  const parts: string[] = [];
  let used = tail.length + 2;
  for (const m of maps.filter((x) => x.context !== 'global')) {
    for (const b of m.bindings) {
      if (!b.label || m.disabled?.[b.id]) continue;
      const text = b.hint ?? `${b.keys[0]} ${b.label}`;
      if (parts.some((p) => p.startsWith(`${b.keys[0]} `))) continue;
      if (used + text.length + 2 > width) return [...parts, tail].filter(Boolean).join('  ');
      parts.push(text);
      used += text.length + 2;
    }
  }
  return [...parts, tail].filter(Boolean).join('  ');
}
