import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the test run uses (set by test/global-setup.ts). */
    hushRedisUrl: string;
    /** The ClickHouse HTTP URL the test run uses (set by test/global-setup.ts). */
    hushClickhouseUrl: string;
  }
}

/** The URLs of the Redis and ClickHouse that the global setup started or found for this test run. */
export function serviceUrls(): { redisUrl: string; clickhouseUrl: string } {
  return { redisUrl: inject('hushRedisUrl'), clickhouseUrl: inject('hushClickhouseUrl') };
}
