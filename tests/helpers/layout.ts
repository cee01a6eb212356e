// Ink keeps its DOM in an internal map keyed by the output stream; the package's exports do not
// name it, so the file is imported by path. Test-only.
import instances from '../../node_modules/ink/build/instances.js';
import stringWidth from 'string-width';
import type { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { stripAnsi } from '../../src/runtime/headless-terminal.js';

interface YogaNode {
  getComputedLeft(): number;
  getComputedTop(): number;
  getComputedWidth(): number;
  getComputedHeight(): number;
  getDisplay(): number;
}
interface DomNode {
  nodeName: string;
  nodeValue?: string;
  style?: { textWrap?: string; overflow?: string; overflowY?: string };
  yogaNode?: YogaNode;
  childNodes?: DomNode[];
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
}

const DISPLAY_NONE = 1;

function textOf(n: DomNode): string {
  if (n.nodeName === '#text') return n.nodeValue ?? '';
  return (n.childNodes ?? []).map(textOf).join('');
}

/**
 * What is wrong with the frame on screen: a frame as tall as the terminal (Ink then clears and
 * redraws, and old text stays), a line wider than the terminal, two texts laid out on the same
 * cells (one draws over the other), a text cut by truncation in the middle of a word.
 */
export function layoutProblems(term: HeadlessTerminal): string[] {
  const problems: string[] = [];
  const { columns, rows } = term;
  const lines = stripAnsi(term.lastFrame()).replace(/\n+$/, '').split('\n');
  if (lines.length >= rows) problems.push(`frame has ${lines.length} lines for ${rows} rows`);
  lines.forEach((l, i) => {
    const w = stringWidth(l.replace(/\s+$/, ''));
    if (w > columns) problems.push(`line ${i + 1} is ${w} wide for ${columns}: ${l.trim()}`);
  });
  const inst = (instances as unknown as WeakMap<object, { rootNode: DomNode }>).get(term.stdout);
  if (!inst) return [...problems, 'no Ink instance on this terminal'];
  const texts: Rect[] = [];
  const walk = (n: DomNode, ox: number, oy: number) => {
    const y = n.yogaNode;
    if (!y) return;
    if (y.getDisplay() === DISPLAY_NONE) return;
    const x0 = ox + y.getComputedLeft();
    const y0 = oy + y.getComputedTop();
    const w = y.getComputedWidth();
    const h = y.getComputedHeight();
    if (n.nodeName === 'ink-text') {
      const text = textOf(n);
      if (w > 0 && h > 0 && text.trim()) texts.push({ x: x0, y: y0, w, h, text });
      if (x0 + w > columns) problems.push(`text past the right edge (${x0 + w} > ${columns}): ${text.trim()}`);
      const wrap = n.style?.textWrap ?? 'wrap';
      if (wrap.startsWith('truncate')) {
        const full = Math.max(...text.split('\n').map((l) => stringWidth(l)));
        if (full > w) {
          // Cut at the last column: a cut between words (a space on either side) reads well.
          const plain = text.split('\n')[0];
          let acc = 0;
          let i = 0;
          while (i < plain.length && acc + stringWidth(plain[i]) <= w - 1) acc += stringWidth(plain[i++]);
          const before = plain[i - 1] ?? ' ';
          const after = plain[i] ?? ' ';
          if (/\S/.test(before) && /\S/.test(after)) problems.push(`text cut mid-word at ${w} columns: ${plain.trim()}`);
        }
      }
      return;
    }
    for (const c of n.childNodes ?? []) walk(c, x0, y0);
  };
  walk(inst.rootNode, 0, 0);
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i];
      const b = texts[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        problems.push(`overlap at row ${Math.max(a.y, b.y) + 1}: "${a.text.trim().slice(0, 40)}" and "${b.text.trim().slice(0, 40)}"`);
    }
  return problems;
}
