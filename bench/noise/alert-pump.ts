import type { Queue } from 'bullmq';
import type { AlertsJob } from '../../queues/jobs.js';
import type { Alert } from '../../schemas/alert.js';

/** Event time of the first pumped alert; each next one is a second later. */
const EVENT_TIME_START = Date.UTC(2025, 0, 6, 9, 0);
const TICK_MS = 20;
const SERVICES = 10;

/**
 * Pushes single-alert jobs for one tenant at a steady rate until stopped. Jobs stay in the completed set
 * (unlike the gateway's), so each one still names the replica that processed it.
 */
export class AlertPump {
  private pushed = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    private readonly queue: Queue<AlertsJob>,
    private readonly tenant: string,
    private readonly alertsPerSecond: number,
  ) {}

  /** Alerts pushed so far. */
  get count(): number {
    return this.pushed;
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.alertsPerSecond) - this.pushed;
      if (due > 0) this.push(due);
    }, TICK_MS);
  }

  /** Stops pushing; resolves once every push is on the queue, rejects with the first failed one. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
    if (this.failure) throw this.failure;
  }

  private push(n: number): void {
    const first = this.pushed;
    this.pushed += n;
    const enqueuedAt = Date.now();
    const jobs = Array.from({ length: n }, (_, i) => {
      const alert = this.alert(first + i);
      return { name: 'alert', data: { alerts: [alert], enqueuedAt }, opts: { jobId: `${this.tenant}-${alert.id}`, removeOnComplete: false, removeOnFail: false } };
    });
    this.sending = this.sending.then(async () => {
      try {
        await this.queue.addBulk(jobs);
      } catch (thrown) {
        this.failure ??= new Error(`pushing alerts failed: ${(thrown as Error).message}`, { cause: thrown });
      }
    });
  }

  private alert(sequence: number): Alert {
    return {
      id: `probe-${sequence}`,
      tenant: this.tenant,
      source: 'bench',
      name: 'RollbackProbe',
      service: `service-${sequence % SERVICES}`,
      severity: 'warning',
      status: 'firing',
      startsAt: EVENT_TIME_START + sequence * 1000,
      endsAt: null,
      summary: '',
      labels: {},
      value: null,
      fingerprint: `probe-${sequence}`,
    };
  }
}
