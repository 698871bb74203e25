import { hostname } from 'node:os';

/**
 * The BullMQ worker name of a scoring replica, `scoring@<host>:<pid>`; BullMQ stores it on every job the
 * replica takes (`processedBy`), which tells which replica decided an alert.
 */
export function scoringReplicaName(pid: number = process.pid, host: string = hostname()): string {
  return `scoring@${host}:${pid}`;
}
