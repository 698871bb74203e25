import { HushError } from '../errors/index.js';

// Element types: the low two bits of each tag byte (google/snappy format_description.txt).
const LITERAL = 0;
const COPY_1 = 1;
const COPY_2 = 2;

/** Longest varint the block preamble may use: the uncompressed length is at most 2^32 - 1. */
const MAX_PREAMBLE_BYTES = 5;

/**
 * Decompresses one snappy block (the raw format Prometheus remote write uses, not the framed
 * stream format). Every length and offset is checked against the input and the declared output, so
 * hostile input fails with an error instead of reading or writing out of bounds.
 * @throws HushError `HUSH_ERR_BODY_TOO_LARGE` when the block declares more than `maxBytes`;
 * `HUSH_ERR_MALFORMED_BODY` when it is not a valid block.
 */
export function decompressSnappyBlock(input: Uint8Array, maxBytes: number): Buffer {
  const { length, start } = readPreamble(input);
  if (length > maxBytes) {
    throw new HushError('HUSH_ERR_BODY_TOO_LARGE', `the snappy body decompresses to ${length} bytes; the limit is ${maxBytes} bytes: send smaller batches (remote_write queue_config max_samples_per_send)`);
  }
  const output = Buffer.allocUnsafe(length);
  let out = 0;
  let pos = start;
  while (pos < input.length) {
    const tag = input[pos] as number;
    pos += 1;
    if ((tag & 3) === LITERAL) {
      let size = tag >>> 2;
      if (size >= 60) {
        const lengthBytes = size - 59;
        need(input, pos, lengthBytes, 'literal length');
        size = readLittleEndian(input, pos, lengthBytes);
        pos += lengthBytes;
      }
      size += 1;
      need(input, pos, size, 'literal');
      if (size > length - out) malformed(`a literal at byte ${pos} overruns the declared length ${length}`);
      output.set(input.subarray(pos, pos + size), out);
      pos += size;
      out += size;
      continue;
    }
    let size: number;
    let offset: number;
    if ((tag & 3) === COPY_1) {
      need(input, pos, 1, 'copy offset');
      size = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | (input[pos] as number);
      pos += 1;
    } else {
      const offsetBytes = (tag & 3) === COPY_2 ? 2 : 4;
      need(input, pos, offsetBytes, 'copy offset');
      size = 1 + (tag >>> 2);
      offset = readLittleEndian(input, pos, offsetBytes);
      pos += offsetBytes;
    }
    if (offset === 0 || offset > out) malformed(`a copy at byte ${pos} refers ${offset} bytes back from output position ${out}`);
    if (size > length - out) malformed(`a copy at byte ${pos} overruns the declared length ${length}`);
    copyBack(output, out, offset, size);
    out += size;
  }
  if (out !== length) malformed(`the block declares ${length} bytes but holds ${out}`);
  return output;
}

/** The uncompressed length (a varint of at most 32 bits) and where the elements start. */
function readPreamble(input: Uint8Array): { length: number; start: number } {
  let length = 0;
  for (let i = 0; i < MAX_PREAMBLE_BYTES; i += 1) {
    if (i >= input.length) malformed('the body ends inside the length preamble (is it snappy-compressed?)');
    const byte = input[i] as number;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (length > 0xffffffff) malformed('the length preamble exceeds 32 bits');
      return { length, start: i + 1 };
    }
  }
  return malformed('the length preamble is longer than 5 bytes (is it snappy-compressed?)');
}

/** Copies `size` bytes from `offset` back; overlapping copies repeat the pattern, as the format requires. */
function copyBack(output: Buffer, out: number, offset: number, size: number): void {
  if (offset >= size) {
    output.copyWithin(out, out - offset, out - offset + size);
    return;
  }
  for (let i = 0; i < size; i += 1) output[out + i] = output[out - offset + i] as number;
}

function readLittleEndian(input: Uint8Array, pos: number, bytes: number): number {
  let value = 0;
  for (let i = 0; i < bytes; i += 1) value += (input[pos + i] as number) * 2 ** (8 * i);
  return value;
}

function need(input: Uint8Array, pos: number, bytes: number, what: string): void {
  if (pos + bytes > input.length) malformed(`the body ends inside a ${what} at byte ${pos}`);
}

function malformed(detail: string): never {
  throw new HushError('HUSH_ERR_MALFORMED_BODY', `the body is not a valid snappy block: ${detail}`);
}
