/**
 * A metric anomaly detector fed one series a row at a time, online: it may only use the rows it has
 * been given. `update` returns the anomaly score of the row just given, in [0, 1], higher meaning more
 * anomalous; NAB scores a detector by thresholding these scores, so only their order matters.
 */
export interface StreamingDetector {
  update(timestampMs: number, value: number): number;
  /**
   * The detector's whole state as a JSON-serialisable value (checkpointed so a series survives a worker
   * restart): the matching `restore` continues from it with exactly the scores an uninterrupted run gives.
   */
  snapshot(): unknown;
}

/** Makes a fresh detector for one series; every series gets its own instance and state. */
export type StreamingDetectorFactory = () => StreamingDetector;

/** Rebuilds a detector from what its `snapshot()` returned (after a JSON round trip); rejects a foreign snapshot. */
export type StreamingDetectorRestore = (snapshot: unknown) => StreamingDetector;
