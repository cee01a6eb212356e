import type Database from 'better-sqlite3';

/**
 * The escapes of issue 21, as a hostile calling list carries them: OSC 52 (writes the
 * clipboard), OSC 0 (sets the window title), a colour (SGR), CR (overwrites the line), the C1
 * CSI (U+009B) and DEL.
 */
export const OSC52 = '\x1b]52;c;aGVsbG8=\x07';
export const OSC0 = '\x1b]0;PWNED\x07';
export const SGR_RED = '\x1b[31m';
export const HOSTILE_FIELD = `${SGR_RED}red\rX\u009b2J\x7f`;
export const HOSTILE_SUBJECT = `Hi${OSC0}\r\u009b2J`;

/** The escapes as the desktop draws them. */
export const SHOWN_OSC52 = '␛]52;c;aGVsbG8=␇';
export const SHOWN_OSC0 = '␛]0;PWNED␇';
export const SHOWN_FIELD = 'red␍X␦2J␡';

/**
 * Writes the escapes straight into a state's tables (the import refuses them now): every first
 * name ends in OSC52 and every last name starts with OSC0 (Garcia stays Garcia for a search),
 * every custom field value ends in HOSTILE_FIELD, and, with `messages`, every message's subject
 * and body hold HOSTILE_SUBJECT.
 */
export function poison(db: Database.Database, o: { contacts?: boolean; messages?: boolean } = { contacts: true, messages: true }): void {
  if (o.contacts) {
    const rows = db.prepare('SELECT id, first_name, last_name, fields FROM contact').all() as { id: string; first_name: string; last_name: string; fields: string }[];
    const put = db.prepare('UPDATE contact SET first_name = ?, last_name = ?, fields = ? WHERE id = ?');
    db.transaction(() => {
      for (const r of rows) {
        const fields = JSON.parse(r.fields) as Record<string, string>;
        for (const k of Object.keys(fields)) fields[k] = `${fields[k]}${HOSTILE_FIELD}`;
        put.run(`${r.first_name}${OSC52}`, `${OSC0}${r.last_name}`, JSON.stringify(fields), r.id);
      }
    })();
  }
  if (o.messages) {
    db.prepare("UPDATE message SET subject = ?, body = json_set(body, '$.subject', ?, '$.body', ?)").run(HOSTILE_SUBJECT, HOSTILE_SUBJECT, `Body${HOSTILE_FIELD}`);
  }
}

/** What a terminal would act on in `bytes` once Ink's own codes (colour and style, the cursor shown or hidden) are set aside. */
export function rawControls(bytes: string): string[] {
  // eslint-disable-next-line no-control-regex
  const left = bytes.replace(/\x1b\[[0-9;]*m|\x1b\[\?25[hl]/g, '');
  // eslint-disable-next-line no-control-regex
  return [...left.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g)].map((m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(left.slice(Math.max(0, m.index - 20), m.index + 20))}`);
}
