import { terminalJson, visibleLines } from '../../runtime/visible-text.js';

/**
 * Lines to a stream in 64 KiB writes. `push` says when the buffer is full: the caller then
 * awaits `flush`, which waits for 'drain' when the stream asks for it. A reader that goes away
 * (`| head -1`: EPIPE) ends the output quietly: `broken` turns true and the caller stops.
 */
export class LineSink {
  broken = false;
  private buf = '';
  private failure: Error | null = null;
  private readonly onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') this.broken = true;
    else this.failure ??= e;
  };

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** What the text becomes on its way out (see sinkFor). */
    private readonly shape: (s: string) => string = (s) => s,
  ) {
    // Kept for the life of the process: a later write to a closed pipe must not throw either.
    stream.on('error', this.onError);
  }

  /** Buffers `s`; true when the caller should `await flush()`. */
  push(s: string): boolean {
    this.buf += s;
    return this.buf.length >= 65536;
  }

  /** Writes what is buffered; false once the reader is gone (stop producing). */
  async flush(): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.broken || (this.stream as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) {
      this.broken = true;
      return false;
    }
    const b = this.shape(this.buf);
    this.buf = '';
    if (b && !this.stream.write(b)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
    if (this.failure) throw this.failure;
    return !this.broken;
  }
}

/**
 * A sink for a format on `stream`. A table is for people: control characters from the data are
 * drawn visibly wherever it goes. CSV and JSON are data: byte for byte into a file or a pipe,
 * made safe on a terminal (CSV drawn visibly, JSON with DEL and C1 escaped, still the same JSON).
 */
export function sinkFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, format: 'table' | 'csv' | 'json' | 'jsonl'): LineSink {
  if (format === 'table') return new LineSink(stream, visibleLines);
  if (!stream.isTTY) return new LineSink(stream);
  return new LineSink(stream, format === 'csv' ? visibleLines : terminalJson);
}
