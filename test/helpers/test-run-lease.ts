import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessRunning } from '../../shared/services/process-state.js';
import type { ServiceName } from '../../shared/services/index.js';

/**
 * Test runs share the local services of one hush home. Each run holds a lease (a file named by its
 * PID) while it runs; services a test run launched carry a marker, and the last run to finish stops
 * them. Services a developer started with `hush up` never get a marker and are left running.
 */
export class TestRunLease {
  private readonly leases: string;
  private readonly own: string;

  constructor(private readonly home: string, private readonly pid = process.pid) {
    this.leases = join(home, 'run', 'test-runs');
    this.own = join(this.leases, String(pid));
  }

  /** Takes the lease and marks the services this run launched as test-owned. */
  acquire(launched: readonly ServiceName[]): void {
    mkdirSync(this.leases, { recursive: true });
    writeFileSync(this.own, '');
    for (const name of launched) writeFileSync(this.markerOf(name), `${this.pid}\n`);
  }

  /**
   * Gives the lease back. Returns the test-owned services to stop now (and clears their markers), or
   * an empty list while other test runs still hold leases.
   */
  release(): ServiceName[] {
    rmSync(this.own, { force: true });
    if (this.othersAlive()) return [];
    const owned = (['redis', 'clickhouse'] as const).filter((name) => existsSync(this.markerOf(name)));
    for (const name of owned) rmSync(this.markerOf(name), { force: true });
    return owned;
  }

  private othersAlive(): boolean {
    let alive = false;
    for (const entry of readdirSync(this.leases)) {
      const pid = Number(entry);
      if (Number.isInteger(pid) && pid > 0 && isProcessRunning(pid)) alive = true;
      else rmSync(join(this.leases, entry), { force: true });
    }
    return alive;
  }

  private markerOf(name: ServiceName): string {
    return join(this.home, 'run', `${name}.test-owned`);
  }
}
