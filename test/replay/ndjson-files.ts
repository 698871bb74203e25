import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for NDJSON fixtures; `remove()` deletes it. */
export function tempDir(): { dir: string; write(name: string, lines: readonly (string | object)[]): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hush-replay-'));
  return {
    dir,
    write(name, lines) {
      const path = join(dir, name);
      writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A native wire alert at `minute` past 2024-05-01 12:00 UTC. */
export function wireAlert(id: string, minute: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    tenant: 'recorded-tenant',
    source: 'prometheus',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'warning',
    status: 'firing',
    startsAt: new Date(Date.UTC(2024, 4, 1, 12, minute)).toISOString(),
    labels: { team: 'payments' },
    ...overrides,
  };
}

export function wireResolved(id: string, startMinute: number, endMinute: number): Record<string, unknown> {
  return wireAlert(id, startMinute, { status: 'resolved', endsAt: new Date(Date.UTC(2024, 4, 1, 12, endMinute)).toISOString() });
}

export function wireOutcome(alertId: string, minute: number, outcome: 'actionable' | 'noise' = 'noise'): Record<string, unknown> {
  return { alertId, outcome, source: 'human', at: new Date(Date.UTC(2024, 4, 1, 12, minute)).toISOString() };
}
