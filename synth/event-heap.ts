/** Something that happens at event time `t`; `seq` breaks ties so the order is total and reproducible. */
export interface Timed {
  t: number;
  seq: number;
}

/** A binary min-heap ordered by (`t`, `seq`): events wait here until no later episode can precede them. */
export class EventHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent] as T)) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  /** The earliest item, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right] as T, items[left] as T) ? right : left;
      if (!before(items[child] as T, last)) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
