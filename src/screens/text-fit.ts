import stringWidth from 'string-width';
import { visibleText } from '../runtime/visible-text.js';

/**
 * Fits text into `width` columns, cutting between words and marking the cut with "…", so a
 * shortened line never ends in half a word. A first word longer than the width is cut hard.
 */
export function clipWords(raw: string, width: number): string {
  if (width <= 0) return '';
  // Measured as drawn: a control character from data takes the cell of its sign (Text draws it so).
  const text = visibleText(raw);
  if (stringWidth(text) <= width) return text;
  let out = '';
  let lastBreak = -1;
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    if (ch === ' ') lastBreak = out.length;
    out += ch;
  }
  // A cut just before a space ends on a whole word.
  if (text[out.length] === ' ') lastBreak = out.length;
  const cut = lastBreak > 0 ? out.slice(0, lastBreak).replace(/[\s·,;:|-]+$/, '') : out;
  return `${cut}…`;
}

/** Joins items with `sep` while they fit, then says how many were left out ("+3"). */
export function fitItems(raw: string[], width: number, sep = ' '): string {
  const items = raw.map(visibleText);
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out ? `${out}${sep}${items[i]}` : items[i];
    // Room is kept for the "+k" that follows when this is not the last item.
    const tail = i < items.length - 1 ? ` +${items.length - i - 1}` : '';
    if (stringWidth(next + tail) > width) {
      const left = ` +${items.length - i}`;
      return out && stringWidth(out + left) <= width ? out + left : clipWords(next, width);
    }
    out = next;
  }
  return out;
}
