import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `docker/` of the repository: Dockerfile, compose file, Prometheus and Kubernetes files. */
export const DOCKER_DIR = join(REPO_ROOT, 'docker');

/** One YAML file under `docker/`, with `<<` merge keys resolved as Compose resolves them. */
export function readYaml<T>(relativePath: string): T {
  return parse(readFileSync(join(DOCKER_DIR, relativePath), 'utf8'), { merge: true }) as T;
}

/** Every document of a multi-document YAML file under `docker/`; fails on a syntax error. */
export function readYamlDocuments(relativePath: string): unknown[] {
  return parseAllDocuments(readFileSync(join(DOCKER_DIR, relativePath), 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${relativePath}: ${document.errors.map((e) => e.message).join('; ')}`);
    return document.toJS() as unknown;
  });
}

/** The `HUSH_*` variables docs/configuration.md documents. */
export function documentedVariables(): Set<string> {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8');
  return new Set([...doc.matchAll(/`(HUSH_[A-Z_]+)`/g)].map((match) => match[1] as string));
}

/** Whether an image reference names a fixed version (a digest, or a tag with a version number). */
export function isPinnedImage(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return image.includes(':') && !tag.includes('/') && /\d/.test(tag) && !/latest/.test(tag);
}
