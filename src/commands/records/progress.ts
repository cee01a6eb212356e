/** A one-line progress bar of `records import` on a terminal's stderr (nothing when stderr is not a TTY). */
export class Progress {
  private readonly on: boolean;
  private readonly start = Date.now();
  private last = 0;
  private drawn = false;
  private readSecs: number | undefined;
  private rows = 0;
  /** The work after the last row, as a share of the reading time (the store's loader says). */
  tail = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly total: number,
  ) {
    this.on = !!stream.isTTY;
  }

  update(bytes: number, rows: number): void {
    this.rows = rows;
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const share = this.total > 0 ? Math.min(1, bytes / this.total) : 1;
    const rate = secs > 0 ? Math.round(rows / secs) : 0;
    const left = share > 0 && share < 1 ? Math.round((secs / share) * (1 - share + this.tail)) : 0;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const fill = Math.round(share * width);
    const bar = `${'#'.repeat(fill)}${'-'.repeat(width - fill)}`;
    const text = `importing [${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${rate.toLocaleString('en-US')} records/s  ${left}s left`;
    this.stream.write(`\r${text}\u001b[K`);
    this.drawn = true;
  }

  /** Every row read: what is left is the store's (writing, indexes, the COMMIT), step by step. */
  finishing(step: string): void {
    if (!this.on || !this.drawn) return;
    this.readSecs ??= (Date.now() - this.start) / 1000;
    const since = (Date.now() - this.start) / 1000 - this.readSecs;
    this.stream.write(`\rimporting: ${this.rows.toLocaleString('en-US')} rows read in ${this.readSecs.toFixed(1)} s; ${step}${since >= 1 ? ` (${since.toFixed(0)} s)` : ''}\u001b[K`);
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
