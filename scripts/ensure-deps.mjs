// Installs npm dependencies when they are missing, so `npm test` and `npm run demo` work on a fresh clone.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const marker = new URL('../node_modules/.package-lock.json', import.meta.url);
if (!existsSync(marker)) {
  console.error('hush: installing npm dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
