/**
 * Terminal cells of the text this desktop draws, without Unicode segmentation. string-width
 * (Ink's) segments graphemes with Intl.Segmenter and compiles emoji regexes on the first
 * non-ASCII string it meets, 20 to 50 ms of the main window's first frame; every character here
 * takes one cell there too (tests/screens/cell-width.test.ts checks each against string-width),
 * so text made only of them is measured by counting. Anything else returns null: the caller
 * asks string-width.
 */
const NARROW_RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0xac], // Latin-1 (U+00AD, the soft hyphen, takes no cell)
  [0xae, 0x2ff], // Latin-1, Latin Extended, modifier letters: · » § é
  [0x2010, 0x2027], // dashes, quotes, bullets, …
  [0x2030, 0x205e], // ‰ ‹ ›
  [0x2190, 0x21ff], // arrows
  [0x2200, 0x22ff], // mathematical operators: ∙
  [0x2500, 0x25fc], // box drawing, blocks, geometric shapes: │ █ ▏ ● ○ ◐ ▶
];
const NARROW_SINGLES = new Set([0x23f8, 0x2605, 0x260e, 0x26a0, 0x2709, 0x2713, 0x2714, 0x2715, 0x2717]); // ⏸ ★ ☎ ⚠ ✉ ✓ ✔ ✕ ✗

export function isNarrow(codePoint: number): boolean {
  if (codePoint <= 0x7e) return codePoint >= 0x20;
  for (const [from, to] of NARROW_RANGES) if (codePoint >= from && codePoint <= to) return true;
  return NARROW_SINGLES.has(codePoint);
}

// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-9;:?]*[ -/]*[@-~]/g;

/** Cells of `text` (colour escapes ignored), or null when it holds anything but narrow characters. */
export function narrowWidth(text: string): number | null {
  const plain = text.includes('\x1b') ? text.replace(CSI, '') : text;
  for (let i = 0; i < plain.length; i++) if (!isNarrow(plain.charCodeAt(i))) return null;
  return plain.length;
}
