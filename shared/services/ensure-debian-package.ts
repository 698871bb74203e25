import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HushError, coerceError } from '../errors/index.js';

/** Options of {@link ensureDebianPackage}. */
export interface EnsureDebianPackageOptions {
  /** The apt-get command. @defaultValue `apt-get` (from `PATH`) */
  aptGet?: string;
  /** Whether this process may install packages. @defaultValue `process.getuid() === 0` */
  isRoot?: () => boolean;
  /** Receives progress lines (apt's own output goes straight to stderr). @defaultValue writes `hush: <message>` to stderr */
  log?: (message: string) => void;
}

const DEFAULTS: Required<EnsureDebianPackageOptions> = {
  aptGet: 'apt-get',
  isRoot: () => process.getuid?.() === 0,
  log: (message) => process.stderr.write(`hush: ${message}\n`),
};

// One `apt-get update` per process (per apt-get command), however many packages are installed.
const updates = new Map<string, Promise<void>>();

/**
 * Installs a Debian package with apt-get when `binaryPath` does not exist yet. Runs `apt-get update`
 * once per process first; apt's output goes to stderr so that stdout stays machine-readable.
 * @throws HushError `HUSH_ERR_SERVICE_START` when not root, when apt-get fails, or when the package
 * does not provide `binaryPath`.
 */
export async function ensureDebianPackage(pkg: string, binaryPath: string, options: EnsureDebianPackageOptions = {}): Promise<void> {
  if (existsSync(binaryPath)) return;
  const { aptGet, isRoot, log } = { ...DEFAULTS, ...options };
  if (!isRoot()) {
    throw new HushError('HUSH_ERR_SERVICE_START', `${binaryPath} is missing and installing it needs root: run \`sudo apt-get install -y ${pkg}\` and try again`);
  }
  let update = updates.get(aptGet);
  if (!update) {
    log(`${binaryPath} is missing; running ${aptGet} update`);
    update = runApt(aptGet, ['update']);
    updates.set(aptGet, update);
    // A failed update may be retried by a later call (the network may come back).
    update.catch(() => updates.delete(aptGet));
  }
  await update;
  log(`installing ${pkg} (${aptGet} install -y ${pkg})`);
  await runApt(aptGet, ['install', '-y', '--no-install-recommends', pkg]);
  if (!existsSync(binaryPath)) {
    throw new HushError('HUSH_ERR_SERVICE_START', `installed Debian package ${pkg}, but it did not provide ${binaryPath}`);
  }
  log(`installed ${pkg}`);
}

function runApt(aptGet: string, args: string[]): Promise<void> {
  const command = `${aptGet} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(aptGet, args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', (thrown) => {
      reject(new HushError('HUSH_ERR_SERVICE_START', `could not run \`${command}\`: ${coerceError(thrown).message}`, { cause: thrown }));
    });
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new HushError('HUSH_ERR_SERVICE_START', `\`${command}\` failed (${signal ?? `exit code ${code}`}); its output is above`));
    });
  });
}
