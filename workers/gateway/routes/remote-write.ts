import type { FastifyInstance, FastifyRequest } from 'fastify';
import { remoteWriteSamples } from '../../../schemas/remote-write-samples.js';
import { HushError } from '../../../shared/errors/index.js';
import { decompressSnappyBlock } from '../../../shared/remote-write/snappy-block.js';
import { decodeWriteRequest } from '../../../shared/remote-write/write-request.js';
import type { RemoteWriteRouteContext } from '../interfaces/remote-write-route-context.js';

/**
 * How many times the body limit a remote-write body may decompress to. Prometheus's batches shrink
 * about 7× (repetitive label text); the bound keeps a hostile length preamble from allocating gigabytes.
 */
export const REMOTE_WRITE_EXPANSION_LIMIT = 16;

/** The only protobuf message of remote-write 1.0; 2.0 senders name theirs in a `proto` parameter. */
const WRITE_REQUEST_MESSAGE = 'prometheus.WriteRequest';

/**
 * `POST /api/v1/metrics/write`: the Prometheus remote-write 1.0 protocol (a snappy block holding a
 * protobuf `prometheus.WriteRequest`). The samples go onto the metrics queue like JSON samples;
 * staleness markers, NaN/±Inf values and native histograms are skipped and counted.
 */
export function remoteWriteRoute(app: FastifyInstance, { ingest, bodyLimit }: RemoteWriteRouteContext): void {
  void app.register(async (scope) => {
    // This scope alone reads raw bytes; the rest of the API keeps its JSON-only parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post('/api/v1/metrics/write', async (request, reply) => {
      checkContentHeaders(request);
      // The scope's one parser always yields a Buffer; the fallback only satisfies the type of `body`.
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const series = decodeWriteRequest(decompressSnappyBlock(body, bodyLimit * REMOTE_WRITE_EXPANSION_LIMIT));
      const decoded = remoteWriteSamples(series, { tenant: request.hushTenant });
      const skipped = { stale: decoded.stale, non_finite: decoded.nonFinite, histogram: decoded.histograms };
      return reply.code(202).send(await ingest.metricSamples(decoded.results, true, skipped));
    });
  });
}

/** The headers remote-write 1.0 requires of senders; anything else is answered 415 before decoding. */
function checkContentHeaders(request: FastifyRequest): void {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim());
  const proto = parameters.find((p) => p.toLowerCase().startsWith('proto='))?.slice('proto='.length);
  if (type.toLowerCase() !== 'application/x-protobuf' || (proto !== undefined && proto !== WRITE_REQUEST_MESSAGE)) {
    throw new HushError(
      'HUSH_ERR_UNSUPPORTED_MEDIA_TYPE',
      `remote write takes Content-Type: application/x-protobuf (remote-write 1.0, ${WRITE_REQUEST_MESSAGE}), got "${(request.headers['content-type'] ?? '').slice(0, 100)}"`,
    );
  }
  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== 'snappy') {
    throw new HushError('HUSH_ERR_UNSUPPORTED_MEDIA_TYPE', `remote write takes Content-Encoding: snappy (a snappy block), got "${encoding.slice(0, 100)}"`);
  }
}
