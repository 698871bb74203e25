const DAY_MS = 86_400_000;

/** The JSON state of a `DailyRecurrence`. */
export interface DailyRecurrenceSnapshot {
  peaks: number[];
  /** When each slot's peak was seen (epoch ms); `null` for a slot never visited. */
  times: (number | null)[];
}

/**
 * Remembers, per time-of-day slot, the largest surprise seen there on earlier days, fading by
 * `dailyDecay` a day. A surprise that recurs at the same hour (a nightly backup, an hourly cron
 * burst seen daily) is then known rather than news: `recalled` gives how much of the current surprise
 * yesterday's (and older) peaks at this slot or its two neighbours already explain. O(1) per row.
 */
export class DailyRecurrence {
  private readonly peaks: Float64Array;
  private readonly times: Float64Array;

  constructor(private readonly slots: number, private readonly dailyDecay: number, snapshot?: DailyRecurrenceSnapshot) {
    this.peaks = new Float64Array(slots);
    this.times = new Float64Array(slots).fill(Number.NaN);
    snapshot?.peaks.forEach((peak, i) => { this.peaks[i] = peak; });
    snapshot?.times.forEach((time, i) => { this.times[i] = time ?? Number.NaN; });
  }

  /** Records `surprise` at `timestampMs` and returns the recalled peak of earlier days around that time of day. */
  update(timestampMs: number, surprise: number): number {
    const slot = Math.floor((((timestampMs % DAY_MS) + DAY_MS) % DAY_MS) / (DAY_MS / this.slots));
    let recalled = 0;
    for (let offset = -1; offset <= 1; offset++) recalled = Math.max(recalled, this.recall((slot + offset + this.slots) % this.slots, timestampMs));
    const faded = this.recall(slot, timestampMs, true);
    if (surprise >= faded) {
      this.peaks[slot] = surprise;
      this.times[slot] = timestampMs;
    }
    return recalled;
  }

  /** The slot's peak faded to `now`; only peaks at least half a day old count unless `sameDay`. */
  private recall(slot: number, now: number, sameDay = false): number {
    const time = this.times[slot] as number;
    if (Number.isNaN(time)) return 0;
    const age = (now - time) / DAY_MS;
    if (!sameDay && age < 0.5) return 0;
    return (this.peaks[slot] as number) * this.dailyDecay ** Math.max(age, 0);
  }

  snapshot(): DailyRecurrenceSnapshot {
    return { peaks: Array.from(this.peaks), times: Array.from(this.times, (t) => (Number.isNaN(t) ? null : t)) };
  }
}
