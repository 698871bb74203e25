import { createHash } from 'node:crypto';
import type { Logger } from '../../shared/observability/logger.js';
import type { PartitionLease, PartitionLeases } from './partition-leases.js';
import type { ReplicaRegistry } from './replica-registry.js';

/** What consumes a partition while its lease is held. */
export interface PartitionWork {
  stop(): Promise<void>;
}

/** Options of {@link PartitionOwnership}. */
export interface PartitionOwnershipOptions {
  leases: PartitionLeases;
  replicas: ReplicaRegistry;
  partitions: number;
  replicaId: string;
  /** Lease renewal and rebalancing period; keep it well under the lease time (a third of it). */
  intervalMs: number;
  /** Starts consuming a partition just acquired. */
  open(lease: PartitionLease): Promise<PartitionWork>;
  logger: Logger;
}

interface Owned {
  lease: PartitionLease;
  work: Promise<PartitionWork | null>;
}

/**
 * Keeps this replica's fair share of the partitions, ceil(partitions / live replicas): renews the leases
 * it holds, stops a partition whose lease was lost, hands surplus partitions back (after finishing their
 * job in hand) when replicas join, and takes free partitions when replicas leave or die.
 */
export class PartitionOwnership {
  private readonly owned = new Map<number, Owned>();
  private readonly preferred: number[];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: PartitionOwnershipOptions) {
    // Replicas start their search at different partitions so they rarely race for the same lease.
    const offset = Number.parseInt(createHash('sha1').update(options.replicaId).digest('hex').slice(0, 8), 16) % options.partitions;
    this.preferred = Array.from({ length: options.partitions }, (_, i) => (offset + i) % options.partitions);
  }

  /** Runs the first round (so partitions are owned when this resolves) and schedules the next ones. */
  async start(): Promise<void> {
    await this.round();
  }

  /** The partitions this replica holds, ascending. */
  ownedPartitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Stops every partition's work gracefully, releases the leases and leaves the replica set. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.all([...this.owned.keys()].map((partition) => this.handBack(partition)));
    await this.options.replicas.leave();
  }

  private round(): Promise<void> {
    this.ticking = this.tick()
      .catch((err: unknown) => this.options.logger.error({ err }, 'partition ownership round failed; retrying next round'))
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => void this.round(), this.options.intervalMs);
      });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    const { leases, replicas, partitions, replicaId, logger } = this.options;
    const live = await replicas.heartbeat();
    const share = Math.ceil(partitions / Math.max(1, live));
    // Renewed together: one at a time, a slow Redis let the last leases expire before their turn.
    const held = [...this.owned];
    const renewed = await Promise.all(held.map(([, owned]) => leases.renew(owned.lease)));
    held.forEach(([partition, owned], i) => {
      if (renewed[i]) return;
      logger.warn({ partition }, 'partition lease lost; stopping its consumer');
      this.owned.delete(partition);
      owned.work.then((work) => work?.stop()).catch((err: unknown) => logger.error({ partition, err }, 'stopping the consumer of a lost partition failed'));
    });
    for (const partition of this.ownedPartitions().reverse()) {
      if (this.owned.size <= share) break;
      await this.handBack(partition);
    }
    for (const partition of this.preferred) {
      if (this.owned.size >= share || this.stopped) break;
      if (this.owned.has(partition)) continue;
      const lease = await leases.tryAcquire(partition, replicaId);
      if (lease) this.owned.set(partition, { lease, work: this.open(lease) });
    }
  }

  private async open(lease: PartitionLease): Promise<PartitionWork | null> {
    try {
      return await this.options.open(lease);
    } catch (err) {
      this.options.logger.error({ partition: lease.partition, err }, 'could not start consuming a partition; releasing it');
      this.owned.delete(lease.partition);
      await this.options.leases.release(lease);
      return null;
    }
  }

  private async handBack(partition: number): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned) return;
    this.owned.delete(partition);
    await (await owned.work)?.stop();
    await this.options.leases.release(owned.lease);
  }
}
