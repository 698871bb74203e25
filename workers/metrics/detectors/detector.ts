/**
 * A metric anomaly detector fed one series a row at a time, online: it may only use the rows it has
 * been given. `update` returns the anomaly score of the row just given, in [0, 1], higher meaning more
 * anomalous; NAB scores a detector by thresholding these scores, so only their order matters.
 */
export interface StreamingDetector {
  update(timestampMs: number, value: number): number;
}

/** Makes a fresh detector for one series; every series gets its own instance and state. */
export type StreamingDetectorFactory = () => StreamingDetector;
