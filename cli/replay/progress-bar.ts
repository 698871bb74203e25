/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  label: string;
  /** 0 when unknown: the bar shows a count and a rate. */
  total: number;
  /** Where to draw. @defaultValue `process.stderr` */
  stream?: NodeJS.WriteStream;
  /** Smallest interval between redraws in ms. @defaultValue `200` */
  intervalMs?: number;
}

/** A one-line progress bar with rate and ETA; on a non-TTY it prints a line every 10%. */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastDrawAt = 0;
  private lastDecile = -1;
  private readonly stream: NodeJS.WriteStream;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
    this.intervalMs = options.intervalMs ?? 200;
  }

  update(done: number, force = false): void {
    const now = Date.now();
    const { total, label } = this.options;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const elapsed = (now - this.startedAt) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const text =
      total > 0
        ? `${label} ${bar(ratio)} ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s eta ${eta.toFixed(0)}s`
        : `${label} ${done} ${Math.round(rate)}/s`;
    if (this.stream.isTTY) {
      if (!force && now - this.lastDrawAt < this.intervalMs) return;
      this.lastDrawAt = now;
      this.stream.write(`\r${text}\x1b[K`);
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile === this.lastDecile && !force) return;
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  finish(done: number): void {
    const total = this.options.total;
    const complete = Math.floor((total > 0 ? Math.min(1, done / total) : 1) * 10);
    if (this.stream.isTTY || total === 0 || complete !== this.lastDecile) this.update(done, true);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

function bar(ratio: number, width = 24): string {
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
