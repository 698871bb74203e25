// Test-side encoders for remote-write bodies: protobuf wire format and snappy blocks made of literals
// only (valid snappy that any decoder must accept), so decoder tests need no compression library.

/** A varint of an unsigned value, or of an int64 (negative bigints in two's complement, 10 bytes). */
export function varint(value: number | bigint): Buffer {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

export const key = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

export function lengthDelimited(field: number, body: Uint8Array | string): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return Buffer.concat([key(field, 2), varint(bytes.length), bytes]);
}

export function doubleField(field: number, value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return Buffer.concat([key(field, 1), bytes]);
}

/** A fixed64 field with exact bits (e.g. Prometheus's stale NaN). */
export function fixed64Field(field: number, bits: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(bits);
  return Buffer.concat([key(field, 1), bytes]);
}

export const varintField = (field: number, value: number | bigint): Buffer => Buffer.concat([key(field, 0), varint(value)]);

/** A series as the tests describe it; `value` may be a bigint of raw double bits. */
export interface TestSeries {
  labels: Record<string, string>;
  samples: { value: number | bigint; timestamp: number | bigint }[];
}

/** A `prometheus.WriteRequest` holding `series`. */
export function writeRequest(series: readonly TestSeries[]): Buffer {
  return Buffer.concat(
    series.map((s) => {
      const labels = Object.entries(s.labels).map(([name, value]) => lengthDelimited(1, Buffer.concat([lengthDelimited(1, name), lengthDelimited(2, value)])));
      const samples = s.samples.map((sample) => {
        const value = typeof sample.value === 'bigint' ? fixed64Field(1, sample.value) : doubleField(1, sample.value);
        return lengthDelimited(2, Buffer.concat([value, varintField(2, sample.timestamp)]));
      });
      return lengthDelimited(1, Buffer.concat([...labels, ...samples]));
    }),
  );
}

/** A valid snappy block of `data` using literal elements only (1-byte to 2-byte literal lengths). */
export function snappyLiterals(data: Uint8Array): Buffer {
  const parts: Buffer[] = [varint(data.length)];
  for (let start = 0; start < data.length; start += 65_536) {
    const chunk = data.subarray(start, start + 65_536);
    const n = chunk.length - 1;
    if (n < 60) parts.push(Buffer.from([n << 2]));
    else if (n < 256) parts.push(Buffer.from([60 << 2, n]));
    else parts.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}
