import type { FastifyRequest } from 'fastify';
import type { TokenStore } from '../../shared/auth/token-store.js';
import { HushError } from '../../shared/errors/index.js';
import { withRedisTimeout } from './with-timeout.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of the request's bearer token; set by the gateway's auth hook. */
    hushTenant: string;
  }
}

const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;

/**
 * An `onRequest` hook resolving `Authorization: Bearer <token>` to a tenant before the body is
 * read, so unauthenticated clients cannot make the gateway parse large bodies.
 */
export function bearerAuth(tokens: TokenStore, redisTimeoutMs: number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new HushError('HUSH_ERR_UNAUTHENTICATED', 'send an API token as "Authorization: Bearer <token>"');
    const tenant = await withRedisTimeout(tokens.tenantOf(match[1]), redisTimeoutMs, 'check the API token');
    if (tenant === null) throw new HushError('HUSH_ERR_UNAUTHENTICATED', 'the API token is not valid');
    request.hushTenant = tenant;
  };
}
