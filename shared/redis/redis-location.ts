import type { Redis } from 'ioredis';

/** Where a Redis URL or connection points, for messages: credentials are left out. */
export function redisLocation(target: string | Redis): string {
  if (typeof target !== 'string') {
    const { path, host, port } = target.options;
    return path ? `unix:${path}` : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
  }
  try {
    const url = new URL(target);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(an unparsable Redis URL)';
  }
}
