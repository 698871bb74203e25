import { HushError } from '../errors/index.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The port of a URL when it points at this machine, `null` when it points elsewhere (a service hush
 * must not manage), or `undefined` when no URL is set.
 */
export function loopbackPort(raw: string | undefined, defaultPort: number, variable: string): number | null | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HushError('HUSH_ERR_CONFIG', `${variable} must be a URL, got "${raw}"`);
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url.port === '' ? defaultPort : Number(url.port);
}
