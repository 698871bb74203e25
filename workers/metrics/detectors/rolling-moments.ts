/** The JSON state of a `RollingMoments`. */
export interface RollingMomentsSnapshot {
  capacity: number;
  /** The first `size` slots of the ring, in slot order. */
  buffer: number[];
  next: number;
  sum: number;
  sumOfSquares: number;
  pushesSinceResum: number;
}

/** Mean and standard deviation of the last `capacity` numbers pushed, in O(1) per push. */
export class RollingMoments {
  private readonly buffer: Float64Array;
  private next = 0;
  private size = 0;
  private sum = 0;
  private sumOfSquares = 0;
  private pushesSinceResum = 0;

  constructor(readonly capacity: number) {
    this.buffer = new Float64Array(capacity);
  }

  /** The whole state as plain JSON, so `RollingMoments.restore` continues bit for bit where this left off. */
  snapshot(): RollingMomentsSnapshot {
    return { capacity: this.capacity, buffer: Array.from(this.buffer.subarray(0, this.size)), next: this.next, sum: this.sum, sumOfSquares: this.sumOfSquares, pushesSinceResum: this.pushesSinceResum };
  }

  static restore(snapshot: RollingMomentsSnapshot): RollingMoments {
    const moments = new RollingMoments(snapshot.capacity);
    moments.buffer.set(snapshot.buffer);
    moments.size = snapshot.buffer.length;
    moments.next = snapshot.next;
    moments.sum = snapshot.sum;
    moments.sumOfSquares = snapshot.sumOfSquares;
    moments.pushesSinceResum = snapshot.pushesSinceResum;
    return moments;
  }

  get count(): number {
    return this.size;
  }

  get mean(): number {
    return this.size === 0 ? 0 : this.sum / this.size;
  }

  /** Sample standard deviation (0 with fewer than two numbers). */
  get std(): number {
    if (this.size < 2) return 0;
    const variance = (this.sumOfSquares - (this.sum * this.sum) / this.size) / (this.size - 1);
    return Math.sqrt(Math.max(variance, 0));
  }

  push(value: number): void {
    if (this.size === this.capacity) {
      const old = this.buffer[this.next] as number;
      this.sum -= old;
      this.sumOfSquares -= old * old;
    } else {
      this.size++;
    }
    this.buffer[this.next] = value;
    this.sum += value;
    this.sumOfSquares += value * value;
    this.next = (this.next + 1) % this.capacity;
    // Running sums drift when large values leave the window; re-adding once per window bounds the error.
    if (++this.pushesSinceResum >= this.capacity) this.resum();
  }

  private resum(): void {
    this.sum = 0;
    this.sumOfSquares = 0;
    for (let i = 0; i < this.size; i++) {
      const value = this.buffer[i] as number;
      this.sum += value;
      this.sumOfSquares += value * value;
    }
    this.pushesSinceResum = 0;
  }
}
