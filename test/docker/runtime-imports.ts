import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** What a program loads: its own files (relative to the root) and the npm packages it imports. */
export interface RuntimeImports {
  files: Set<string>;
  packages: Set<string>;
}

// Statements only (not SQL text that says `from '…'`); type-only imports vanish at run time.
const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\s+(?!type\s)[\w\s{},*$]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const BUILTINS = new Set(builtinModules);

/** Follows static and literal dynamic imports from `entry` (a path under `root`), as tsx resolves `.js` to `.ts`. */
export function runtimeImports(root: string, entry: string): RuntimeImports {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [join(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const path = relative(root, file);
    if (files.has(path)) continue;
    files.add(path);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of IMPORT_PATTERNS.flatMap((pattern) => [...source.matchAll(pattern)])) {
      if (specifier === undefined || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      if (specifier.startsWith('.')) pending.push(resolveSource(join(dirname(file), specifier)));
      else packages.add(packageName(specifier));
    }
  }
  return { files, packages };
}

function resolveSource(path: string): string {
  const candidates = [path, path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`cannot resolve import ${path}`);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}
