import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, parseTokens } from '../../shared/config/config.js';
import { HushError } from '../../shared/errors/index.js';

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected a throw');
}

function expectConfigError(env: NodeJS.ProcessEnv, variable: string): HushError {
  const err = thrownBy(() => loadConfig({}, env));
  expect(err).toBeInstanceOf(HushError);
  const hush = err as HushError;
  expect(hush.code).toBe('HUSH_ERR_CONFIG');
  expect(hush.status).toBe(500);
  expect(hush.message).toContain(variable);
  return hush;
}

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6390',
      queuePrefix: 'hush',
      clickhouseUrl: 'http://127.0.0.1:8124',
      clickhouseDatabase: 'hush',
      clickhouseUser: 'default',
      clickhousePassword: '',
      gatewayHost: '127.0.0.1',
      gatewayPort: 8080,
      gatewayBodyLimit: 1_048_576,
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
      scoringConcurrency: 128,
      scoringFetchers: 8,
      scoringMaxAlertsInFlight: 16384,
      scoringFlushMs: 1000,
      journalMaxBytes: 1_073_741_824,
      scoringStopGraceMs: 20_000,
      stopTimeoutMs: 25_000,
      defaultThreshold: 0.5,
      logLevel: 'info',
    });
    expect(config.tokens.size).toBe(0);
  });

  it('reads every setting from its environment variable', () => {
    const config = loadConfig(
      {},
      {
        HUSH_REDIS_URL: 'rediss://cache.internal:6380',
        HUSH_QUEUE_PREFIX: '{hush-a}',
        HUSH_CLICKHOUSE_URL: 'https://ch.internal:8443',
        HUSH_CLICKHOUSE_DATABASE: 'alerts',
        HUSH_CLICKHOUSE_USER: 'hush',
        HUSH_CLICKHOUSE_PASSWORD: 's3cret',
        HUSH_GATEWAY_HOST: '0.0.0.0',
        HUSH_GATEWAY_PORT: '0',
        HUSH_GATEWAY_BODY_LIMIT: '2048',
        HUSH_TOKENS: 'acme=acme-token-1, globex=globex-token-1',
        HUSH_METRICS_PORT: '65535',
        HUSH_METRICS_HOST: '::1',
        HUSH_SCORING_CONCURRENCY: '10000',
        HUSH_SCORING_FETCHERS: '64',
        HUSH_SCORING_MAX_ALERTS_IN_FLIGHT: '200',
        HUSH_SCORING_FLUSH_MS: '0',
        HUSH_JOURNAL_MAX_BYTES: '1048576',
        HUSH_SCORING_STOP_GRACE_MS: '0',
        HUSH_STOP_TIMEOUT_MS: '1000',
        HUSH_DEFAULT_THRESHOLD: '1',
        HUSH_LOG_LEVEL: 'silent',
      },
    );
    expect(config).toMatchObject({
      redisUrl: 'rediss://cache.internal:6380',
      queuePrefix: '{hush-a}',
      clickhouseUrl: 'https://ch.internal:8443',
      clickhouseDatabase: 'alerts',
      clickhouseUser: 'hush',
      clickhousePassword: 's3cret',
      gatewayHost: '0.0.0.0',
      gatewayPort: 0,
      gatewayBodyLimit: 2048,
      metricsPort: 65535,
      metricsHost: '::1',
      scoringConcurrency: 10000,
      scoringFetchers: 64,
      scoringMaxAlertsInFlight: 200,
      scoringFlushMs: 0,
      journalMaxBytes: 1_048_576,
      scoringStopGraceMs: 0,
      stopTimeoutMs: 1000,
      defaultThreshold: 1,
      logLevel: 'silent',
    });
    expect([...config.tokens]).toEqual([
      ['acme-token-1', 'acme'],
      ['globex-token-1', 'globex'],
    ]);
  });

  it('prefers an explicit value over the environment, and the environment over the default', () => {
    const env = { HUSH_QUEUE_PREFIX: 'from-env', HUSH_METRICS_PORT: '9999', HUSH_DEFAULT_THRESHOLD: '0.7' };
    const config = loadConfig({ queuePrefix: 'explicit', metricsPort: 0 }, env);
    expect(config.queuePrefix).toBe('explicit');
    expect(config.metricsPort).toBe(0);
    expect(config.defaultThreshold).toBe(0.7);
    expect(config.gatewayPort).toBe(8080);
  });

  it('does not validate an environment value that an explicit value overrides', () => {
    expect(loadConfig({ metricsPort: 1234 }, { HUSH_METRICS_PORT: 'not-a-port' }).metricsPort).toBe(1234);
  });

  it('validates explicit values with the same rules as the environment', () => {
    expect(() => loadConfig({ redisUrl: 'http://not-redis' }, {})).toThrow(/HUSH_REDIS_URL/);
    expect(() => loadConfig({ defaultThreshold: 2 }, {})).toThrow(/HUSH_DEFAULT_THRESHOLD/);
    expect(loadConfig({ tokens: new Map([['secret-token-1', 'acme']]) }, {}).tokens.get('secret-token-1')).toBe('acme');
  });

  it('reads process.env when no environment is passed', () => {
    const before = process.env.HUSH_CLICKHOUSE_USER;
    process.env.HUSH_CLICKHOUSE_USER = 'from-process-env';
    try {
      expect(loadConfig().clickhouseUser).toBe('from-process-env');
    } finally {
      if (before === undefined) delete process.env.HUSH_CLICKHOUSE_USER;
      else process.env.HUSH_CLICKHOUSE_USER = before;
    }
  });

  it.each([
    ['HUSH_REDIS_URL', 'not a url'],
    ['HUSH_REDIS_URL', 'http://127.0.0.1:6379'],
    ['HUSH_CLICKHOUSE_URL', '127.0.0.1:8123'],
    ['HUSH_CLICKHOUSE_URL', 'redis://127.0.0.1:8123'],
    ['HUSH_GATEWAY_PORT', '65536'],
    ['HUSH_GATEWAY_PORT', '-1'],
    ['HUSH_GATEWAY_PORT', '80.5'],
    ['HUSH_GATEWAY_PORT', 'eighty'],
    ['HUSH_GATEWAY_BODY_LIMIT', '1023'],
    ['HUSH_GATEWAY_BODY_LIMIT', String(256 * 1024 * 1024 + 1)],
    ['HUSH_METRICS_PORT', '70000'],
    ['HUSH_SCORING_CONCURRENCY', '0'],
    ['HUSH_SCORING_CONCURRENCY', '10001'],
    ['HUSH_SCORING_FETCHERS', '0'],
    ['HUSH_SCORING_FETCHERS', '65'],
    ['HUSH_SCORING_FETCHERS', '2.5'],
    ['HUSH_SCORING_FLUSH_MS', '-1'],
    ['HUSH_SCORING_FLUSH_MS', '60001'],
    ['HUSH_SCORING_FLUSH_MS', '0.5'],
    ['HUSH_JOURNAL_MAX_BYTES', '1048575'],
    ['HUSH_JOURNAL_MAX_BYTES', '2097152.5'],
    ['HUSH_SCORING_STOP_GRACE_MS', '-1'],
    ['HUSH_SCORING_STOP_GRACE_MS', '3600001'],
    ['HUSH_STOP_TIMEOUT_MS', '999'],
    ['HUSH_DEFAULT_THRESHOLD', '1.5'],
    ['HUSH_DEFAULT_THRESHOLD', '-0.1'],
    ['HUSH_DEFAULT_THRESHOLD', ''],
    ['HUSH_DEFAULT_THRESHOLD', '   '],
    ['HUSH_DEFAULT_THRESHOLD', 'NaN'],
    ['HUSH_DEFAULT_THRESHOLD', 'half'],
    ['HUSH_LOG_LEVEL', 'verbose'],
    ['HUSH_LOG_LEVEL', 'INFO'],
    ['HUSH_TOKENS', 'acme'],
    ['HUSH_TOKENS', '=token-without-tenant'],
    ['HUSH_TOKENS', 'acme=short'],
    ['HUSH_TOKENS', 'Acme=long-enough-token'],
  ])('refuses %s=%j with HUSH_ERR_CONFIG naming the variable', (variable, value) => {
    expectConfigError({ [variable]: value }, variable);
  });

  it('names the wrong protocol of a URL', () => {
    expect(expectConfigError({ HUSH_REDIS_URL: 'http://127.0.0.1:6379' }, 'HUSH_REDIS_URL').message).toMatch(/redis: or rediss:.*"http:"/);
  });

  it('names the valid range of an integer setting', () => {
    expect(expectConfigError({ HUSH_GATEWAY_PORT: '65536' }, 'HUSH_GATEWAY_PORT').message).toContain('[0, 65535]');
  });

  it('lists the valid log levels', () => {
    expect(expectConfigError({ HUSH_LOG_LEVEL: 'verbose' }, 'HUSH_LOG_LEVEL').message).toContain('fatal, error, warn, info, debug, trace, silent');
  });
});

describe('parseTokens', () => {
  it('maps each token to its tenant, ignoring blanks and surrounding spaces', () => {
    const tokens = parseTokens(' acme=acme-token-1 ,, team_b-2=0123456789abcdef,', 'HUSH_TOKENS');
    expect(tokens.get('acme-token-1')).toBe('acme');
    expect(tokens.get('0123456789abcdef')).toBe('team_b-2');
    expect(tokens.size).toBe(2);
  });

  it('keeps everything after the first "=" as the token', () => {
    expect(parseTokens('acme=abc=def==ghi', 'V').get('abc=def==ghi')).toBe('acme');
  });

  it('returns no tokens for an empty value', () => {
    expect(parseTokens('', 'HUSH_TOKENS').size).toBe(0);
  });

  it('gives a token used twice to the last tenant that names it', () => {
    expect(parseTokens('acme=shared-token,globex=shared-token', 'V').get('shared-token')).toBe('globex');
  });

  it('names the variable it was given and shows at most 40 characters of the bad entry', () => {
    const err = thrownBy(() => parseTokens(`acme=short,${'x'.repeat(100)}`, 'MY_TOKENS')) as HushError;
    expect(err.code).toBe('HUSH_ERR_CONFIG');
    expect(err.message).toContain('MY_TOKENS');
    expect(err.message).toContain('"acme=short"');
    const long = thrownBy(() => parseTokens(`UPPER=${'y'.repeat(100)}`, 'V')) as HushError;
    expect(long.message).toContain(`"UPPER=${'y'.repeat(34)}"`);
    expect(long.message).not.toContain('y'.repeat(35));
  });
});

describe('describeConfig', () => {
  it('masks secrets, counts tokens and keys every value by its environment variable', () => {
    const config = loadConfig({}, { HUSH_CLICKHOUSE_PASSWORD: 'hunter2-password', HUSH_TOKENS: 'acme=acme-token-1,globex=globex-token-1' });
    const described = describeConfig(config);
    expect(described.HUSH_CLICKHOUSE_PASSWORD).toBe('***');
    expect(described.HUSH_TOKENS).toBe('2 configured');
    expect(described.HUSH_GATEWAY_PORT).toBe(8080);
    expect(described.HUSH_DEFAULT_THRESHOLD).toBe(0.5);
    expect(described.HUSH_REDIS_URL).toBe('redis://127.0.0.1:6390');
    expect(described.HUSH_LOG_LEVEL).toBe('info');
    const printed = JSON.stringify(described);
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('acme-token-1');
    expect(Object.keys(described).every((key) => key.startsWith('HUSH_'))).toBe(true);
    expect(Object.keys(described)).toHaveLength(Object.keys(config).length);
  });

  it('shows an empty password as empty rather than masked', () => {
    const described = describeConfig(loadConfig({}, {}));
    expect(described.HUSH_CLICKHOUSE_PASSWORD).toBe('');
    expect(described.HUSH_TOKENS).toBe('0 configured');
  });
});
