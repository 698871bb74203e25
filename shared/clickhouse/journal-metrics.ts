import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { collectWithin } from '../observability/bounded-collect.js';
import { refusedKey } from './journal-drain.js';
import { journalBytes } from './row-journal.js';

/**
 * `hush_journal_entries`, `hush_journal_bytes` and `hush_journal_refused_rows` of a row journal, read from
 * Redis when Prometheus scrapes: entries and bytes grow while ClickHouse is slow or down, refused rows
 * wait in their stream for someone to look at them. A reading Redis does not answer within `collectWithin`'s
 * bound is left out of that scrape.
 */
export function registerJournalMetrics(registry: Registry, redis: Redis, key: string): void {
  const labelNames = ['journal'] as const;
  new Gauge({
    name: 'hush_journal_entries',
    help: 'Entries of the row journal not yet inserted into ClickHouse',
    labelNames,
    registers: [registry],
    async collect() {
      await collectWithin(this, async () => void this.set({ journal: key }, await redis.xlen(key)));
    },
  });
  new Gauge({
    name: 'hush_journal_bytes',
    help: 'Redis memory the row journal takes (sampled), against HUSH_JOURNAL_MAX_BYTES',
    labelNames,
    registers: [registry],
    async collect() {
      await collectWithin(this, async () => void this.set({ journal: key }, await journalBytes(redis, key)));
    },
  });
  new Gauge({
    name: 'hush_journal_refused_rows',
    help: 'Rows ClickHouse refused, kept in the journal\'s refused stream',
    labelNames,
    registers: [registry],
    async collect() {
      await collectWithin(this, async () => void this.set({ journal: key }, await redis.xlen(refusedKey(key))));
    },
  });
}
