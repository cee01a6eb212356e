/**
 * The one CSV reader (`records import` and `sim --calling-list`): RFC 4180 in chunks, so a file
 * of any size is read in constant memory. Fields split on commas; double-quoted fields may hold
 * commas, quotes ("") and line breaks; CRLF or LF; unquoted fields are trimmed; blank lines are
 * skipped; a leading BOM is dropped. Each record comes with the line it starts on.
 *
 * Ours rather than csv-parse: lines without a quote take a fast path (one indexOf and a split),
 * which reads the 1,000,000-row list of `npm run bench` several times faster than csv-parse
 * does (README, "Calling lists at volume", gives the figures), and a record that is not well
 * formed after a closing quote is a bad row of its own, named by its line, not the end of the
 * file.
 */

/** A CSV the reader cannot go on with (an unclosed quote): fatal even with --skip-bad. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The longest record the reader holds while it looks for the record's end. */
export const MAX_RECORD_CHARS = 1 << 20;

export class CsvReader {
  private buf = '';
  private line = 1;
  private started = false;

  /**
   * `onRecord` gets each record's fields, the line it starts on, and what is wrong with it (a
   * character after a closing quote, or what `check` finds in its text), else null.
   */
  constructor(protected readonly onRecord: (fields: string[], line: number, error: string | null) => void) {}

  /** What a record's text (from its first character, without its line break) holds that no field may; null when nothing. */
  protected check(_raw: string): string | null {
    return null;
  }

  feed(text: string): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.buf ? this.buf + text : text;
    const consumed = this.parse(this.buf, false);
    this.buf = consumed === this.buf.length ? '' : this.buf.slice(consumed);
    if (this.buf.length > MAX_RECORD_CHARS) throw new CsvSyntaxError(this.line, `a record longer than ${MAX_RECORD_CHARS} characters (a quoted field never closed?)`);
  }

  end(): void {
    if (this.buf) this.parse(this.buf, true);
    this.buf = '';
  }

  /** Parses whole records from `buf`; returns how far it got (the rest waits for more text). */
  private parse(buf: string, final: boolean): number {
    let pos = 0;
    let quoteAt = buf.indexOf('"');
    if (quoteAt < 0) quoteAt = Infinity;
    const len = buf.length;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) return pos;
        nl = len;
      }
      if (quoteAt < pos) {
        quoteAt = buf.indexOf('"', pos);
        if (quoteAt < 0) quoteAt = Infinity;
      }
      if (quoteAt > nl) {
        // Fast path: no quote on this line.
        let end = nl;
        if (end > pos && buf.charCodeAt(end - 1) === 13) end--;
        const line = this.line++;
        if (end > pos) {
          const text = buf.slice(pos, end);
          if (text.trim() !== '') {
            const fields = text.split(',');
            for (let i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
            this.onRecord(fields, line, this.check(text));
          }
        }
        pos = nl + 1;
        continue;
      }
      const r = this.parseQuoted(buf, pos, final);
      if (!r) return pos;
      pos = r;
    }
    return pos;
  }

  /** A record with quotes, from `pos`: its end, or 0 when it runs past the text read so far. */
  private parseQuoted(buf: string, pos: number, final: boolean): number {
    const startLine = this.line;
    const fields: string[] = [];
    let breaks = 0;
    let i = pos;
    const len = buf.length;
    let bad: string | null = null;
    // Where the record's text ends (before its line break).
    let end = len;
    for (;;) {
      // One field from i.
      while (i < len && (buf[i] === ' ' || buf[i] === '\t')) i++;
      if (i < len && buf[i] === '"') {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            if (!final) return 0;
            throw new CsvSyntaxError(startLine, 'a quoted field is never closed');
          }
          const part = buf.slice(j, q);
          for (let k = part.indexOf('\n'); k >= 0; k = part.indexOf('\n', k + 1)) breaks++;
          value += part;
          if (q + 1 < len && buf[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          if (q + 1 >= len && !final) return 0;
          i = q + 1;
          break;
        }
        while (i < len && (buf[i] === ' ' || buf[i] === '\t')) i++;
        if (i < len && buf[i] !== ',' && buf[i] !== '\n' && !(buf[i] === '\r' && buf[i + 1] === '\n')) {
          if (buf[i] === '\r' && i + 1 >= len && !final) return 0;
          bad ??= `unexpected "${buf[i]}" after a closing quote`;
          // Skip to the end of the field.
          while (i < len && buf[i] !== ',' && buf[i] !== '\n') i++;
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < len && buf[j] !== ',' && buf[j] !== '\n') j++;
        if (j >= len && !final) return 0;
        fields.push(buf.slice(i, j).trim());
        i = j;
      }
      if (i >= len) {
        if (!final) return 0;
        break;
      }
      if (buf[i] === ',') {
        i++;
        continue;
      }
      // The record's text ends before its line break (CRLF included: an unquoted last field ran up to the LF).
      end = i > pos && buf[i] === '\n' && buf[i - 1] === '\r' ? i - 1 : i;
      if (buf[i] === '\r') i++;
      if (buf[i] === '\n') {
        i++;
        break;
      }
    }
    this.line += 1 + breaks;
    this.onRecord(fields, startLine, bad ?? this.check(buf.slice(pos, end)));
    return i;
  }
}

/** A whole text read at once: every record with its line, in order. */
export function readCsv(text: string): { fields: string[]; line: number; error: string | null }[] {
  const out: { fields: string[]; line: number; error: string | null }[] = [];
  const r = new CsvReader((fields, line, error) => out.push({ fields, line, error }));
  r.feed(text);
  r.end();
  return out;
}
