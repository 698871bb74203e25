import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisioningFiles } from './provisioning-files.js';

// `npm run grafana:build`: rewrites grafana/provisioning from the TypeScript, removing stale files.
const root = fileURLToPath(new URL('../', import.meta.url));
const files = provisioningFiles();
const wanted = new Set(files.map((f) => join(root, f.path)));
const provisioning = join(root, 'grafana/provisioning');
const existing = await readdir(provisioning, { recursive: true, withFileTypes: true }).catch(() => []);
for (const entry of existing) {
  const path = join(entry.parentPath, entry.name);
  if (entry.isFile() && !wanted.has(path)) await rm(path);
}
for (const file of files) {
  const path = join(root, file.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, file.content);
}
console.log(`wrote ${files.length} files under grafana/provisioning`);
