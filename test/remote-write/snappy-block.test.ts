import { describe, expect, it } from 'vitest';
import { decompressSnappyBlock } from '../../shared/remote-write/snappy-block.js';
import { errorCodeOf } from '../helpers/error-code.js';
import { prng } from '../helpers/prng.js';
import { snappyLiterals } from '../helpers/remote-write-encoder.js';
import { PROMETHEUS_BODY } from './prometheus-body.js';

const MB = 1 << 20;

const block = (...bytes: (number | string)[]): Buffer =>
  Buffer.concat(bytes.map((b) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from([b]))));

describe('decompressSnappyBlock', () => {
  it('decompresses the block a real Prometheus sent to its declared length', () => {
    const raw = decompressSnappyBlock(PROMETHEUS_BODY, MB);
    expect(raw.length).toBe(68_712);
    // The remote-write message starts with its first series (field 1, length-delimited) and names metrics in clear text.
    expect(raw[0]).toBe(0x0a);
    expect(raw.toString('latin1')).toContain('prometheus_rule_group_duration_seconds');
  });

  it('reads literals whose lengths take 0, 1 and 2 extra bytes', () => {
    const random = prng(7);
    for (const size of [0, 1, 59, 60, 61, 255, 256, 257, 65_536, 70_000]) {
      const data = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
      expect(decompressSnappyBlock(snappyLiterals(data), MB).equals(data), `size ${size}`).toBe(true);
    }
  });

  it('repeats a pattern when a copy overlaps the bytes it produces', () => {
    // "ab", then copy-1 of length 6 from 2 back: the run-length idiom of snappy.
    expect(decompressSnappyBlock(block(8, 0x04, 'ab', 0x09, 0x02), MB).toString()).toBe('abababab');
    // "a", then copy-2 of length 64 from 1 back.
    expect(decompressSnappyBlock(block(65, 0x00, 'a', (63 << 2) | 2, 1, 0), MB).toString()).toBe('a'.repeat(65));
  });

  it('reads the high offset bits of 1-byte copies and the offsets of 2- and 4-byte copies', () => {
    const prefix = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251));
    const body = Buffer.concat([
      Buffer.from([0xbe, 0x02]), // preamble: 318 bytes
      Buffer.from([61 << 2, 299 & 0xff, 299 >> 8]), // literal of 300 bytes
      prefix,
      Buffer.from([(1 << 5) | (1 << 2) | 1, 300 & 0xff]), // copy-1: length 5, offset 300 (high bits 1) → bytes 0..4
      Buffer.from([(9 << 2) | 2, 0x01, 0x01]), // copy-2 at 305: length 10, offset 257 → bytes 48..57
      Buffer.from([(2 << 2) | 3, 0x3b, 0x01, 0x00, 0x00]), // copy-4 at 315: length 3, offset 315 → bytes 0..2
    ]);
    const expected = Buffer.concat([prefix, prefix.subarray(0, 5), prefix.subarray(48, 58), prefix.subarray(0, 3)]);
    expect(decompressSnappyBlock(body, MB).equals(expected)).toBe(true);
  });

  it('refuses a block that declares more than the limit before allocating it', () => {
    const declaresFourGiB = block(0xff, 0xff, 0xff, 0xff, 0x0f);
    expect(errorCodeOf(() => decompressSnappyBlock(declaresFourGiB, MB))).toBe('HUSH_ERR_BODY_TOO_LARGE');
    expect(() => decompressSnappyBlock(PROMETHEUS_BODY, 68_711)).toThrow(/decompresses to 68712 bytes; the limit is 68711 bytes:/);
  });

  it.each([
    ['an empty body', block(), /ends inside the length preamble/],
    ['a preamble longer than 5 bytes', block(0xff, 0xff, 0xff, 0xff, 0xff, 0x01), /longer than 5 bytes/],
    ['a preamble beyond 32 bits', block(0xff, 0xff, 0xff, 0xff, 0x1f), /exceeds 32 bits/],
    ['a literal cut short', block(5, 0x10, 'hel'), /ends inside a literal/],
    ['a literal length cut short', block(100, 61 << 2, 0x01), /ends inside a literal length/],
    ['a literal beyond the declared length', block(2, 0x10, 'hello'), /literal .* overruns the declared length 2/],
    ['a copy with offset 0', block(6, 0x04, 'ab', 0x01, 0x00), /refers 0 bytes back/],
    ['a copy from before the output start', block(6, 0x04, 'ab', 0x01, 0x03), /refers 3 bytes back from output position 2/],
    ['a copy beyond the declared length', block(5, 0x04, 'ab', 0x09, 0x02), /copy .* overruns the declared length 5/],
    ['a copy offset cut short', block(6, 0x04, 'ab', 0x02, 0x01), /ends inside a copy offset/],
    ['fewer bytes than declared', block(9, 0x10, 'hello'), /declares 9 bytes but holds 5/],
  ])('refuses %s as a malformed body', (_name, body, message) => {
    expect(errorCodeOf(() => decompressSnappyBlock(body, MB))).toBe('HUSH_ERR_MALFORMED_BODY');
    expect(() => decompressSnappyBlock(body, MB)).toThrow(message);
  });

  it('answers every corruption of a real body with a coded error or bytes, never a crash', () => {
    const random = prng(42);
    const outcomes = new Set<string>();
    for (let round = 0; round < 1_000; round += 1) {
      const body = Buffer.from(PROMETHEUS_BODY.subarray(0, 1 + Math.floor(random() * PROMETHEUS_BODY.length)));
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips -= 1) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      outcomes.add(errorCodeOf(() => decompressSnappyBlock(body, MB)));
    }
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['HUSH_ERR_MALFORMED_BODY']));
    expect([...outcomes].every((code) => ['HUSH_ERR_MALFORMED_BODY', 'HUSH_ERR_BODY_TOO_LARGE', 'no error'].includes(code))).toBe(true);
  });
});
