import { HushError } from '../errors/index.js';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
export const WIRE_TYPE = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** A field key: the field number and how its value is encoded. */
export interface FieldKey {
  field: number;
  wireType: number;
}

const MAX_VARINT_BYTES = 10;
const FAST_VARINT_BYTES = 7;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/**
 * Reads protobuf wire format from a byte range, checking every length against the range, so a
 * truncated or hostile message fails with `HUSH_ERR_MALFORMED_BODY` instead of reading past it.
 * Groups (wire types 3 and 4, deprecated) are refused.
 */
export class ProtobufReader {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
    // Shared with the readers of embedded messages: one Buffer view per body, not one per message.
    private readonly view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  ) {
    this.pos = start;
  }

  /** Whether the whole range has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  key(): FieldKey {
    const at = this.pos;
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field < 1 || field > MAX_FIELD_NUMBER) this.fail(`field number ${field} at byte ${at} is out of range`);
    return { field, wireType: key % 8 };
  }

  /** An unsigned varint that must fit a safe integer (lengths, field keys). */
  varint(): number {
    const at = this.pos;
    const value = this.rawVarint();
    if (typeof value === 'number') return value;
    if (value > MAX_SAFE) this.fail(`a varint at byte ${at} exceeds 2^53 - 1`);
    return Number(value);
  }

  /** An int64 varint (two's complement, as protobuf encodes negative values); beyond ±2^53 precision is lost. */
  int64(): number {
    const value = this.rawVarint();
    return typeof value === 'number' ? value : Number(BigInt.asIntN(64, value));
  }

  /** A varint of up to 64 bits: a number while it has at most 49 bits (7 bytes, always exact), else a bigint. */
  private rawVarint(): number | bigint {
    const start = this.pos;
    let value = 0;
    for (let i = 0; i < FAST_VARINT_BYTES; i += 1) {
      const byte = this.nextVarintByte();
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return value;
    }
    let big = BigInt(value);
    for (let i = FAST_VARINT_BYTES; i < MAX_VARINT_BYTES; i += 1) {
      const byte = this.nextVarintByte();
      big |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) {
        if (i === MAX_VARINT_BYTES - 1 && byte > 1) break;
        return big;
      }
    }
    return this.fail(`the varint at byte ${start} is longer than 64 bits`);
  }

  private nextVarintByte(): number {
    if (this.pos >= this.end) this.fail(`the message ends inside a varint at byte ${this.pos}`);
    const byte = this.bytes[this.pos] as number;
    this.pos += 1;
    return byte;
  }

  /** A little-endian IEEE 754 double (wire type fixed64). */
  double(): number {
    this.need(8, 'double');
    const value = this.view.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The next fixed64 value's bits, without moving past it (a NaN's payload is not kept by every number operation). */
  peekFixed64(): bigint {
    this.need(8, 'fixed64');
    return this.view.readBigUInt64LE(this.pos);
  }

  /** A reader over the next length-delimited value (an embedded message); this reader moves past it. */
  message(): ProtobufReader {
    const length = this.length();
    const reader = new ProtobufReader(this.bytes, this.pos, this.pos + length, this.view);
    this.pos += length;
    return reader;
  }

  /** The next length-delimited value as UTF-8 text (invalid sequences become U+FFFD). */
  string(): string {
    const length = this.length();
    const text = this.view.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  /** Moves past a value of an unknown or unused field. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_TYPE.varint:
        this.rawVarint();
        return;
      case WIRE_TYPE.fixed64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WIRE_TYPE.lengthDelimited: {
        // Not `this.pos += this.length()`: that adds to the position from before the length was read.
        const length = this.length();
        this.pos += length;
        return;
      }
      case WIRE_TYPE.fixed32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(`wire type ${wireType} before byte ${this.pos} is not supported`);
    }
  }

  /** Throws unless a field has the wire type its schema gives it. */
  expect(key: FieldKey, wireType: number, name: string): void {
    if (key.wireType !== wireType) this.fail(`${name} (field ${key.field}) has wire type ${key.wireType}, expected ${wireType}, before byte ${this.pos}`);
  }

  private length(): number {
    const at = this.pos;
    const length = this.varint();
    if (length > this.end - this.pos) this.fail(`a length of ${length} at byte ${at} runs past the end of its message (byte ${this.end})`);
    return length;
  }

  private need(bytes: number, what: string): void {
    if (this.end - this.pos < bytes) this.fail(`the message ends inside a ${what} at byte ${this.pos}`);
  }

  private fail(detail: string): never {
    throw new HushError('HUSH_ERR_MALFORMED_BODY', `the body is not a valid protobuf message: ${detail}`);
  }
}
