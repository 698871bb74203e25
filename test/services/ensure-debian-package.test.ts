import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../../shared/services/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hush-apt-'));
const quiet = (): void => undefined;
const asRoot = (): boolean => true;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for apt-get that records its arguments and, on `install`, runs `onInstall`. */
function fakeAptGet(name: string, onInstall: string, exitCode = 0): { aptGet: string; calls: () => string[] } {
  const aptGet = join(dir, name);
  const calls = join(dir, `${name}.calls`);
  writeFileSync(aptGet, `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> "${calls}"\nif [ "$1" = install ]; then ${onInstall}; fi\nexit ${exitCode}\n`);
  chmodSync(aptGet, 0o755);
  return { aptGet, calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []) };
}

describe('ensureDebianPackage', () => {
  it('does nothing when the binary is already there', async () => {
    await ensureDebianPackage('bash', '/bin/sh', { aptGet: join(dir, 'never-run'), isRoot: () => false, log: quiet });
  });

  it('installs a missing package non-interactively, running apt-get update once per process', async () => {
    const first = join(dir, 'first-binary');
    const second = join(dir, 'second-binary');
    const apt = fakeAptGet('apt-ok', `touch "${first}" "${second}"`);
    await ensureDebianPackage('pkg-one', first, { aptGet: apt.aptGet, isRoot: asRoot, log: quiet });
    rmSync(second, { force: true });
    await ensureDebianPackage('pkg-two', second, { aptGet: apt.aptGet, isRoot: asRoot, log: quiet });
    expect(apt.calls()).toEqual([
      'noninteractive update',
      'noninteractive install -y --no-install-recommends pkg-one',
      'noninteractive install -y --no-install-recommends pkg-two',
    ]);
  });

  it('asks for root instead of trying apt-get without it', async () => {
    await expect(ensureDebianPackage('redis-server', join(dir, 'missing'), { isRoot: () => false, log: quiet })).rejects.toMatchObject({
      code: 'HUSH_ERR_SERVICE_START',
      message: expect.stringContaining('sudo apt-get install -y redis-server'),
    });
  });

  it('reports a failing apt-get', async () => {
    const apt = fakeAptGet('apt-fails', 'true', 100);
    await expect(ensureDebianPackage('pkg', join(dir, 'missing'), { aptGet: apt.aptGet, isRoot: asRoot, log: quiet })).rejects.toThrow(/update` failed \(exit code 100\)/);
  });

  it('reports a package that does not provide the binary', async () => {
    const apt = fakeAptGet('apt-empty', 'true');
    await expect(ensureDebianPackage('pkg', join(dir, 'missing'), { aptGet: apt.aptGet, isRoot: asRoot, log: quiet })).rejects.toThrow(/did not provide/);
  });

  it('reports an apt-get that cannot be run', async () => {
    await expect(ensureDebianPackage('pkg', join(dir, 'missing'), { aptGet: join(dir, 'no-apt-get'), isRoot: asRoot, log: quiet })).rejects.toThrow(/could not run/);
  });
});
