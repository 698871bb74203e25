import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { HushError } from '../../shared/errors/index.js';
import { bearerAuth } from './auth.js';
import { errorHandler } from './error-handler.js';
import { Ingest } from './ingest.js';
import type { GatewayDeps } from './interfaces/gateway-deps.js';
import { GatewayMetrics } from './metrics.js';
import { MlAccess } from './ml/ml-access.js';
import { alertmanagerRoute } from './routes/alertmanager.js';
import { alertsRoute } from './routes/alerts.js';
import { driftRoute } from './routes/drift.js';
import { healthzRoute } from './routes/healthz.js';
import { metricsRoute } from './routes/metrics.js';
import { remoteWriteRoute } from './routes/remote-write.js';
import { modelCanaryRoute } from './routes/model-canary.js';
import { modelPromoteRoute } from './routes/model-promote.js';
import { modelRollbackRoute } from './routes/model-rollback.js';
import { modelsRoute } from './routes/models.js';
import { openApiRoute } from './routes/openapi.js';
import { outcomesRoute } from './routes/outcomes.js';
import { pagerDutyRoute } from './routes/pagerduty.js';
import { retrainStatusRoute } from './routes/retrain-status.js';
import { retrainRoute } from './routes/retrain.js';
import { thresholdPinRoute } from './routes/threshold-pin.js';
import { thresholdUnpinRoute } from './routes/threshold-unpin.js';

const DEFAULTS = { redisTimeoutMs: 5_000, bulkThreshold: 20, checks: {}, mlTimeoutMs: 10_000 };

/** Route label of requests that matched no route, so unknown URLs cannot explode label cardinality. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * The gateway's HTTP app (not listening; `main.ts` listens, tests use `app.inject`). Only
 * `application/json` bodies are parsed; every error answers `{ code, message }` from one handler.
 */
export function buildGatewayApp(deps: GatewayDeps): FastifyInstance {
  const options = { ...DEFAULTS, ...deps };
  if (!Number.isInteger(options.redisTimeoutMs) || options.redisTimeoutMs < 1) {
    throw new RangeError(`buildGatewayApp option redisTimeoutMs must be a positive integer, got ${options.redisTimeoutMs}`);
  }
  if (!Number.isInteger(options.bulkThreshold) || options.bulkThreshold < 0) {
    throw new RangeError(`buildGatewayApp option bulkThreshold must be a non-negative integer, got ${options.bulkThreshold}`);
  }
  const ml = new MlAccess(options.ml, options.mlTimeoutMs);
  const handleError = errorHandler({ bodyLimit: options.bodyLimit });
  const app = Fastify({
    // Typed as Fastify's base logger so the app is a plain FastifyInstance for routes and tests.
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request logs would dominate at ingest rates; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    // Slow clients must not hold connections forever when the gateway is exposed directly.
    requestTimeout: 30_000,
    // Fastify's router errors (malformed URL components) go through the same mapping as the rest.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  });

  // Only JSON is accepted (text/plain would otherwise parse); any other type is 415 through the error handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request) => {
    throw new HushError('HUSH_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`);
  });

  // While closing, answer in-flight requests with `Connection: close`, so keep-alive clients do not
  // hold the server open (Fastify only closes the connections that are idle when close() starts).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback-style hooks (here and below): an async hook costs each request a promise and a microtask turn.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  const metrics = new GatewayMetrics(options.registry);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.duration.observe({ route }, reply.elapsedTime / 1000);
    done();
  });

  openApiRoute(app);
  healthzRoute(app, options.checks);

  const ingest = new Ingest({
    alerts: options.alerts,
    outcomes: options.outcomes,
    samples: options.samples,
    pagerDuty: options.pagerDuty,
    metrics,
    redisTimeoutMs: options.redisTimeoutMs,
    bulkThreshold: options.bulkThreshold,
  });
  void app.register(async (api) => {
    api.decorateRequest('hushTenant', '');
    api.addHook('onRequest', bearerAuth(options.tokens, options.redisTimeoutMs));
    alertsRoute(api, { ingest });
    alertmanagerRoute(api, { ingest });
    pagerDutyRoute(api, { ingest });
    outcomesRoute(api, { ingest });
    metricsRoute(api, { ingest });
    remoteWriteRoute(api, { ingest, bodyLimit: options.bodyLimit });
    // Registered even without ML deps: they answer 503 then, and ingest above never waits on them.
    modelsRoute(api, { ml });
    modelPromoteRoute(api, { ml });
    modelCanaryRoute(api, { ml });
    modelRollbackRoute(api, { ml });
    retrainRoute(api, { ml });
    retrainStatusRoute(api, { ml });
    driftRoute(api, { ml });
    thresholdPinRoute(api, { ml });
    thresholdUnpinRoute(api, { ml });
  });
  return app;
}
