/**
 * Text from data where it meets a terminal, and what data may hold at all.
 *
 * A terminal acts on control characters: ESC starts the sequences that set the window title
 * (OSC 0), write the clipboard (OSC 52) or recolour the screen; U+009B is CSI itself to a
 * terminal that takes 8-bit controls; CR goes back to the start of the line and overwrites it.
 * A name, a custom field, a note or a message read from the state file or a CSV may hold any of
 * them, so every text from data is drawn with `visibleText`, as `less` shows ESC as ^[ and git
 * quotes odd bytes in paths. The stored value is never changed: this is for the screen only.
 */

/** C0 (NUL to US), DEL and C1 (U+0080 to U+009F): what a terminal may act on. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// The same but the line feed: for text of several lines that we wrote ourselves.
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * The sign drawn for each control character. Every sign is one UTF-16 code unit and one terminal
 * cell (East Asian Width neutral), so a text keeps its length and its columns: a padded column
 * stays aligned, a box border stays where it was, and a cursor offset in a text field means the
 * same in the text shown and the text stored.
 * - C0: the Unicode Control Pictures, U+2400 + the code (␀ … ␛ for ESC … ␟).
 * - Tab: a space. A terminal moves it to the next tab stop (up to 8 cells) where the layout
 *   counted none; a space keeps the column and reads as what a tab is.
 * - DEL: ␡ (U+2421, its control picture).
 * - C1: ␦ (U+2426, the substitute sign): there are no pictures for them.
 */
const SIGNS: string[] = [];
for (let c = 0; c < 0x20; c++) SIGNS[c] = String.fromCharCode(0x2400 + c);
SIGNS[0x09] = ' ';
SIGNS[0x7f] = '\u2421';
for (let c = 0x80; c <= 0x9f; c++) SIGNS[c] = '\u2426';

const sign = (ch: string) => SIGNS[ch.charCodeAt(0)];

/** True when `text` holds a character a terminal would act on. */
export function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/** `text` with every control character drawn as a visible sign of one cell (see SIGNS). */
export function visibleText(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, sign) : text;
}

/** As visibleText, but the line breaks of a text of several lines (a message we built) stay. */
export function visibleLines(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS_BUT_LF, sign) : text;
}

// eslint-disable-next-line no-control-regex
const JSON_RAW = /[\u007f-\u009f]/g;

/**
 * JSON for a terminal. JSON.stringify escapes C0 but writes DEL and C1 (U+007F to U+009F) as
 * they are; escaped (\u009b), the text is the same JSON, read back as the same values.
 */
export function terminalJson(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- what data may hold --------------------------------------------------------------------------

/**
 * What an imported field or a scripting command's argument may not hold: C0 but tab, DEL, C1,
 * and lone surrogates, which is how Utf8Decoder (commands/utf8-decoder.ts) marks the bytes of
 * invalid UTF-8. With the u flag a surrogate pair (an emoji) is one character and never matches.
 */
// eslint-disable-next-line no-control-regex
const REFUSED = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ud800-\udfff]/u;

const C0_NAMES = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];

/** A refused character for a message: "control character ESC (U+001B)", "invalid UTF-8 (byte 0xE9)". */
export function refusedName(code: number): string {
  if (code >= 0xdc80 && code <= 0xdcff) return `invalid UTF-8 (byte 0x${(code - 0xdc00).toString(16).toUpperCase()})`;
  if (code >= 0xd800 && code <= 0xdfff) return `a lone surrogate (U+${code.toString(16).toUpperCase()})`;
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20) return `control character ${C0_NAMES[code]} (${u})`;
  if (code === 0x7f) return `control character DEL (${u})`;
  return `C1 control character ${u}`;
}

/** Why such a character is refused, for the end of a message. */
export const DATA_RULE = 'data may not hold control characters (a tab aside) or invalid UTF-8';

/**
 * The first character of `text` that data may not hold: its index (UTF-16) and column (in
 * characters, from 1), and its name for a message. Null when there is none.
 */
export function refusedIn(text: string): { index: number; column: number; what: string } | null {
  const m = REFUSED.exec(text);
  if (!m) return null;
  return { index: m.index, column: [...text.slice(0, m.index)].length + 1, what: refusedName(text.charCodeAt(m.index)) };
}
