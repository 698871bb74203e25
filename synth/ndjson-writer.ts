import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Bytes gathered before one write to the file stream. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Writes one JSON object per line, in large chunks, honouring the stream's backpressure so that a
 * million-line file never piles up in memory. `write` returns a promise only when the caller must wait.
 */
export class NdjsonWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private chars = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    // A failed open or write surfaces from the next write() or close(); unlistened, it would end the process.
    this.stream.on('error', () => undefined);
  }

  write(value: unknown): Promise<void> | undefined {
    const line = JSON.stringify(value);
    this.buffer.push(line);
    this.chars += line.length + 1;
    if (this.chars < CHUNK_CHARS) return undefined;
    return this.flush();
  }

  private flush(): Promise<void> | undefined {
    // A failed stream never emits 'drain' or 'finish' again: waiting for either would hang.
    if (this.stream.errored) return Promise.reject(this.stream.errored);
    if (this.buffer.length === 0) return undefined;
    const ok = this.stream.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.chars = 0;
    return ok ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  /** Flushes and closes the file; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}
