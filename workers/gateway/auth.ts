import type { FastifyReply, FastifyRequest } from 'fastify';
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
export function bearerAuth(tokens: TokenStore, redisTimeoutMs: number): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match?.[1]) {
      // RFC 9110 requires the challenge on every 401; RFC 6750 names a rejected token's error.
      void reply.header('www-authenticate', 'Bearer realm="hush"');
      throw new HushError('HUSH_ERR_UNAUTHENTICATED', 'send an API token as "Authorization: Bearer <token>"');
    }
    const tenant = await withRedisTimeout(tokens.tenantOf(match[1]), redisTimeoutMs, 'check the API token');
    if (tenant === null) {
      void reply.header('www-authenticate', 'Bearer realm="hush", error="invalid_token"');
      throw new HushError('HUSH_ERR_UNAUTHENTICATED', 'the API token is not valid');
    }
    request.hushTenant = tenant;
  };
}
