import { mix32 } from './prng.js';

/**
 * Unique, random-looking alert ids: a bijective mix of a counter (so no two collide below 2^32 alerts)
 * followed by a seed-dependent tail. Nothing about the alert can be read from its id.
 */
export class AlertIds {
  private counter = 0;
  private readonly key: number;

  constructor(seed: number) {
    this.key = mix32(seed >>> 0 ^ 0x5bd1e995);
  }

  next(): string {
    const n = this.counter++;
    const head = mix32(n ^ this.key);
    const tail = mix32(head + this.key + 0x632be5ab);
    return head.toString(16).padStart(8, '0') + tail.toString(16).padStart(8, '0');
  }
}
