import { ProtobufReader, WIRE_TYPE } from './protobuf-reader.js';

/** One label of a remote-write series (`__name__` carries the metric name). */
export interface RemoteWriteLabel {
  name: string;
  value: string;
}

/** One sample of a remote-write series. */
export interface RemoteWriteSample {
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  /** Prometheus's staleness marker: the series disappeared; `value` is NaN and not an observation. */
  stale: boolean;
}

/** One `prometheus.TimeSeries` of a `WriteRequest`. */
export interface RemoteWriteSeries {
  labels: RemoteWriteLabel[];
  samples: RemoteWriteSample[];
  /** Native-histogram samples in the series; Hush does not ingest them, it counts them. */
  histograms: number;
}

/** The bits of Prometheus's `value.StaleNaN`, the NaN it writes when a series goes stale. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

// Field numbers of prometheus/prompb remote.proto and types.proto (remote-write 1.0).
const WRITE_REQUEST_TIMESERIES = 1;
const SERIES_LABELS = 1;
const SERIES_SAMPLES = 2;
const SERIES_HISTOGRAMS = 4;
const LABEL_NAME = 1;
const LABEL_VALUE = 2;
const SAMPLE_VALUE = 1;
const SAMPLE_TIMESTAMP = 2;

/**
 * Decodes an uncompressed `prometheus.WriteRequest` (remote-write 1.0). Fields Hush does not use
 * (metadata, exemplars, future additions) are skipped, as protobuf readers must.
 * @throws HushError `HUSH_ERR_MALFORMED_BODY` when the bytes are not such a message.
 */
export function decodeWriteRequest(bytes: Uint8Array): RemoteWriteSeries[] {
  const reader = new ProtobufReader(bytes);
  const series: RemoteWriteSeries[] = [];
  while (!reader.done) {
    const key = reader.key();
    if (key.field !== WRITE_REQUEST_TIMESERIES) {
      reader.skip(key.wireType);
      continue;
    }
    reader.expect(key, WIRE_TYPE.lengthDelimited, 'WriteRequest.timeseries');
    series.push(decodeSeries(reader.message()));
  }
  return series;
}

function decodeSeries(reader: ProtobufReader): RemoteWriteSeries {
  const series: RemoteWriteSeries = { labels: [], samples: [], histograms: 0 };
  while (!reader.done) {
    const key = reader.key();
    if (key.field === SERIES_LABELS) {
      reader.expect(key, WIRE_TYPE.lengthDelimited, 'TimeSeries.labels');
      series.labels.push(decodeLabel(reader.message()));
    } else if (key.field === SERIES_SAMPLES) {
      reader.expect(key, WIRE_TYPE.lengthDelimited, 'TimeSeries.samples');
      series.samples.push(decodeSample(reader.message()));
    } else {
      if (key.field === SERIES_HISTOGRAMS) series.histograms += 1;
      reader.skip(key.wireType);
    }
  }
  return series;
}

function decodeLabel(reader: ProtobufReader): RemoteWriteLabel {
  const label: RemoteWriteLabel = { name: '', value: '' };
  while (!reader.done) {
    const key = reader.key();
    if (key.field === LABEL_NAME) {
      reader.expect(key, WIRE_TYPE.lengthDelimited, 'Label.name');
      label.name = reader.string();
    } else if (key.field === LABEL_VALUE) {
      reader.expect(key, WIRE_TYPE.lengthDelimited, 'Label.value');
      label.value = reader.string();
    } else {
      reader.skip(key.wireType);
    }
  }
  return label;
}

function decodeSample(reader: ProtobufReader): RemoteWriteSample {
  // proto3 omits zero values: a sample without a field has value 0 or timestamp 0.
  const sample: RemoteWriteSample = { value: 0, timestamp: 0, stale: false };
  while (!reader.done) {
    const key = reader.key();
    if (key.field === SAMPLE_VALUE) {
      reader.expect(key, WIRE_TYPE.fixed64, 'Sample.value');
      sample.stale = reader.peekFixed64() === STALE_NAN_BITS;
      sample.value = reader.double();
    } else if (key.field === SAMPLE_TIMESTAMP) {
      reader.expect(key, WIRE_TYPE.varint, 'Sample.timestamp');
      sample.timestamp = reader.int64();
    } else {
      reader.skip(key.wireType);
    }
  }
  return sample;
}
