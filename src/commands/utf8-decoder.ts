import { isUtf8 } from 'node:buffer';

/**
 * UTF-8 bytes to text, chunk by chunk, keeping invalid bytes where a check can find them.
 * Buffer#toString and StringDecoder put U+FFFD in their place, so a name in Latin-1 ("Jos\xE9")
 * was stored as "Jos\uFFFD" without a word. Here each byte of an invalid sequence becomes a lone
 * low surrogate, U+DC80 to U+DCFF (Python's surrogateescape), which valid UTF-8 never decodes
 * to: `refusedIn` (runtime/visible-text.ts) finds it in its field and names the byte.
 * Valid input, nearly every chunk, takes Node's own validation and decoding.
 */
export class Utf8Decoder {
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    // A sequence cut at the end of the chunk waits for the rest.
    const whole = completeLength(buf);
    if (whole < buf.length) {
      this.carry = Buffer.from(buf.subarray(whole));
      buf = buf.subarray(0, whole);
    }
    return decode(buf);
  }

  /** What is left at the end of the input: a sequence never completed is invalid. */
  end(): string {
    const rest = this.carry;
    this.carry = null;
    return rest ? decode(rest) : '';
  }
}

/** A whole buffer, as the decoder does it. */
export function decodeUtf8(bytes: Buffer): string {
  const d = new Utf8Decoder();
  return d.write(bytes) + d.end();
}

/** The length of `buf` without a multi-byte sequence its end cuts short. */
function completeLength(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const c = buf[buf.length - back];
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

function decode(buf: Buffer): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let run = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + String.fromCharCode(0xdc00 + buf[i]);
    run = ++i;
  }
  return out + buf.toString('utf8', run, buf.length);
}

/** The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF), or 0. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
