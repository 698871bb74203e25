import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../cli/replay/progress-bar.js';

/** A stream that records what is written to it. */
function stream(isTTY: boolean): { out: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const out = { isTTY, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { out, written };
}

describe('ProgressBar on a non-TTY', () => {
  it('prints one line per 10% step, whatever the update rate', () => {
    const { out, written } = stream(false);
    const bar = new ProgressBar({ label: 'replay: decided', total: 100, stream: out });
    for (let done = 0; done <= 100; done += 1) bar.update(done);
    expect(written).toHaveLength(11);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(written[0]).toMatch(/^replay: decided \[-{24}\]\s+0% 0\/100 /);
    expect(written[5]).toMatch(/^replay: decided \[#{12}-{12}\]\s+50% 50\/100 \d+\/s eta \d+s\n$/);
    expect(written[10]).toMatch(/^replay: decided \[#{24}\] 100% 100\/100 /);
  });

  it('adds no line at finish when the last step was printed already, and one when it was not', () => {
    const done = stream(false);
    const bar = new ProgressBar({ label: 'x', total: 10, stream: done.out });
    bar.update(10);
    bar.finish(10);
    expect(done.written).toHaveLength(1);

    const partial = stream(false);
    const other = new ProgressBar({ label: 'x', total: 10, stream: partial.out });
    other.update(5);
    other.finish(10);
    expect(partial.written).toHaveLength(2);
    expect(partial.written[1]).toContain('10/10');
  });

  it('shows a count and a rate when the total is unknown', () => {
    const { out, written } = stream(false);
    const bar = new ProgressBar({ label: 'replay: enqueued', total: 0, stream: out });
    bar.update(5000);
    expect(written[0]).toMatch(/^replay: enqueued 5000 \d+\/s\n$/);
  });

  it('caps the bar at 100% when more is done than the total', () => {
    const { out, written } = stream(false);
    new ProgressBar({ label: 'x', total: 10, stream: out }).update(15, true);
    expect(written[0]).toMatch(/\[#{24}\] 100% 15\/10/);
  });
});

describe('ProgressBar on a TTY', () => {
  it('redraws one line in place at most once per interval, and ends it with a newline', () => {
    const { out, written } = stream(true);
    const bar = new ProgressBar({ label: 'x', total: 4, stream: out, intervalMs: 60_000 });
    bar.update(1);
    bar.update(2);
    bar.update(3);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\rx \[#{6}-{18}\]\s+25% 1\/4 .*\x1b\[K$/);
    bar.finish(4);
    expect(written).toHaveLength(3);
    expect(written[1]).toMatch(/^\rx \[#{24}\] 100% 4\/4/);
    expect(written[2]).toBe('\n');
  });
});
