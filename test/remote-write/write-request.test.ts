import { describe, expect, it } from 'vitest';
import { ProtobufReader } from '../../shared/remote-write/protobuf-reader.js';
import { decompressSnappyBlock } from '../../shared/remote-write/snappy-block.js';
import { STALE_NAN_BITS, decodeWriteRequest } from '../../shared/remote-write/write-request.js';
import { errorCodeOf } from '../helpers/error-code.js';
import { prng } from '../helpers/prng.js';
import { doubleField, fixed64Field, key, lengthDelimited, varint, varintField, writeRequest } from '../helpers/remote-write-encoder.js';
import { PROMETHEUS_BODY } from './prometheus-body.js';

const bytes = (...parts: (number[] | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));

describe('decodeWriteRequest', () => {
  it('decodes what a real Prometheus sent: labels in order, values, millisecond timestamps', () => {
    const series = decodeWriteRequest(decompressSnappyBlock(PROMETHEUS_BODY, 1 << 20));
    expect(series).toHaveLength(500);
    expect(series[0]?.labels).toEqual([
      { name: '__name__', value: 'prometheus_rule_group_duration_seconds' },
      { name: 'instance', value: '127.0.0.1:19998' },
      { name: 'job', value: 'prometheus' },
      { name: 'quantile', value: '0.5' },
    ]);
    const samples = series.flatMap((s) => s.samples);
    expect(samples).toHaveLength(500);
    expect(samples.filter((s) => Number.isNaN(s.value))).toHaveLength(32);
    expect(new Set(samples.map((s) => s.timestamp))).toEqual(new Set([1_795_454_975_913, 1_795_454_976_913]));
    expect(samples.some((s) => s.stale)).toBe(false);
  });

  it('round-trips series with several labels and samples, negative and large timestamps', () => {
    const body = writeRequest([
      { labels: { __name__: 'up', job: 'api', note: 'ünïcödé ✓' }, samples: [{ value: 1, timestamp: 1_700_000_000_000 }, { value: -2.5, timestamp: 1_700_000_015_000 }] },
      { labels: { __name__: 'neg' }, samples: [{ value: 0.125, timestamp: -1 }, { value: 3, timestamp: 2 ** 50 + 3 }] },
    ]);
    expect(decodeWriteRequest(body)).toEqual([
      {
        labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'api' }, { name: 'note', value: 'ünïcödé ✓' }],
        samples: [{ value: 1, timestamp: 1_700_000_000_000, stale: false }, { value: -2.5, timestamp: 1_700_000_015_000, stale: false }],
        histograms: 0,
      },
      { labels: [{ name: '__name__', value: 'neg' }], samples: [{ value: 0.125, timestamp: -1, stale: false }, { value: 3, timestamp: 2 ** 50 + 3, stale: false }], histograms: 0 },
    ]);
  });

  it('tells the staleness marker from other NaNs by its bits', () => {
    const [series] = decodeWriteRequest(writeRequest([{ labels: { __name__: 'x' }, samples: [{ value: STALE_NAN_BITS, timestamp: 1 }, { value: Number.NaN, timestamp: 2 }, { value: Infinity, timestamp: 3 }] }]));
    expect(series?.samples.map((s) => [Number.isNaN(s.value) ? 'NaN' : s.value, s.stale])).toEqual([['NaN', true], ['NaN', false], [Infinity, false]]);
  });

  it('reads omitted proto3 fields as zero and an empty request as no series', () => {
    expect(decodeWriteRequest(Buffer.alloc(0))).toEqual([]);
    const emptySample = lengthDelimited(1, lengthDelimited(2, Buffer.alloc(0)));
    expect(decodeWriteRequest(emptySample)).toEqual([{ labels: [], samples: [{ value: 0, timestamp: 0, stale: false }], histograms: 0 }]);
  });

  it('skips fields it does not use (metadata, exemplars, unknown ones) and counts native histograms', () => {
    const sample = bytes(doubleField(1, 4), varintField(2, 10), varintField(9, 77), key(10, 5), [1, 2, 3, 4], fixed64Field(11, 5n));
    const series = bytes(
      lengthDelimited(1, bytes(lengthDelimited(1, 'n'), lengthDelimited(2, 'v'), varintField(3, 1))),
      lengthDelimited(2, sample),
      lengthDelimited(3, 'an exemplar'),
      lengthDelimited(4, 'a histogram'),
      lengthDelimited(4, 'another'),
    );
    const request = bytes(lengthDelimited(3, 'metadata'), lengthDelimited(1, series), varintField(5, 1));
    expect(decodeWriteRequest(request)).toEqual([{ labels: [{ name: 'n', value: 'v' }], samples: [{ value: 4, timestamp: 10, stale: false }], histograms: 2 }]);
  });

  it.each([
    ['a truncated varint', bytes(key(1, 2), [0x80]), /ends inside a varint/],
    ['a length past its message', bytes(key(1, 2), varint(5), [1, 2]), /length of 5 at byte 1 runs past the end of its message \(byte 4\)/],
    ['a length past the enclosing message', lengthDelimited(1, bytes(key(2, 2), varint(100))), /runs past the end of its message/],
    ['a group (wire type 3)', bytes(key(7, 3)), /wire type 3 .* not supported/],
    ['field number 0', bytes([0x02, 0x00]), /field number 0 .* out of range/],
    ['timeseries with the wrong wire type', varintField(1, 3), /WriteRequest\.timeseries \(field 1\) has wire type 0, expected 2/],
    ['a sample value that is not a double', lengthDelimited(1, lengthDelimited(2, varintField(1, 3))), /Sample\.value/],
    ['a truncated double', lengthDelimited(1, lengthDelimited(2, bytes(key(1, 1), [0, 0, 0]))), /ends inside a fixed64/],
    ['a varint longer than 10 bytes', bytes(key(5, 0), Buffer.alloc(10, 0xff), [0x01]), /longer than 64 bits/],
    ['a 10-byte varint beyond 64 bits', bytes(key(5, 0), Buffer.alloc(9, 0xff), [0x02]), /longer than 64 bits/],
    ['a length beyond 2^53', bytes(key(1, 2), Buffer.alloc(8, 0xff), [0x7f]), /exceeds 2\^53 - 1/],
  ])('refuses %s as a malformed body', (_name, body, message) => {
    expect(errorCodeOf(() => decodeWriteRequest(body))).toBe('HUSH_ERR_MALFORMED_BODY');
    expect(() => decodeWriteRequest(body)).toThrow(message);
  });

  it('answers every corruption of a real message with a coded error or series, never a crash', () => {
    const raw = decompressSnappyBlock(PROMETHEUS_BODY, 1 << 20);
    const random = prng(9);
    const outcomes = new Set<string>();
    for (let round = 0; round < 400; round += 1) {
      const body = Buffer.from(raw.subarray(0, 1 + Math.floor(random() * raw.length)));
      for (let flips = Math.floor(random() * 4); flips > 0; flips -= 1) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      outcomes.add(errorCodeOf(() => decodeWriteRequest(body)));
    }
    expect(outcomes).toContain('HUSH_ERR_MALFORMED_BODY');
    expect([...outcomes].every((code) => code === 'HUSH_ERR_MALFORMED_BODY' || code === 'no error')).toBe(true);
  });
});

describe('ProtobufReader', () => {
  it('reads varints up to 2^53 - 1 exactly and int64s in two\'s complement', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 49 - 1, 2 ** 49, Number.MAX_SAFE_INTEGER];
    const reader = new ProtobufReader(Buffer.concat(values.map((v) => varint(v))));
    expect(values.map(() => reader.varint())).toEqual(values);
    expect(reader.done).toBe(true);
    const signed = [-1, -1_700_000_000_000, 1_700_000_000_000];
    const int64s = new ProtobufReader(Buffer.concat(signed.map((v) => varint(BigInt(v)))));
    expect(signed.map(() => int64s.int64())).toEqual(signed);
  });

  it('reads only inside its range when given a slice of a larger buffer', () => {
    const outer = bytes([0xaa, 0xbb], lengthDelimited(1, 'hi'), [0xcc]);
    const reader = new ProtobufReader(outer.subarray(2, 6));
    expect(reader.key()).toEqual({ field: 1, wireType: 2 });
    expect(reader.string()).toBe('hi');
    expect(reader.done).toBe(true);
  });
});
