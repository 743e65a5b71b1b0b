// An in-process OTLP receiver for tests: OTLP/HTTP (JSON or protobuf) on one loopback port, OTLP/gRPC
// (over HTTP/2) on another. Spans sent as JSON are decoded; every export is kept raw as well.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface ReceivedExport {
  /** `/v1/traces`, `/v1/logs`, `/v1/metrics`, or the gRPC method path. */
  path: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean | undefined>;
  status?: { code?: number };
  serviceName: string | undefined;
}

export class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  readonly #http: Server;
  readonly #grpc: Http2Server;
  readonly #waiters = new Set<() => void>();

  private constructor() {
    this.#http = createServer((request, response) => {
      void readBody(request).then((body) => {
        this.#record({
          path: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          headers: request.headers,
          body,
        });
        // An empty partial-success answer suits both encodings.
        const json = (request.headers['content-type'] ?? '').includes('json');
        response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        response.end(json ? '{}' : undefined);
      });
    });
    this.#grpc = createHttp2Server();
    this.#grpc.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.#record({
          path: String(headers[':path']),
          contentType: String(headers['content-type']),
          headers,
          body: Buffer.concat(chunks),
        });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        // One length-prefixed message: uncompressed, empty (an Export response with nothing rejected).
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    receiver.#http.listen(0, '127.0.0.1');
    receiver.#grpc.listen(0, '127.0.0.1');
    await Promise.all([once(receiver.#http, 'listening'), once(receiver.#grpc, 'listening')]);
    return receiver;
  }

  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT with the HTTP protocols. */
  get httpEndpoint(): string {
    return `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
  }

  /** Endpoint for the gRPC protocol. */
  get grpcEndpoint(): string {
    return `http://127.0.0.1:${(this.#grpc.address() as AddressInfo).port}`;
  }

  /** Spans of every JSON trace export so far. */
  spans(): ReceivedSpan[] {
    return this.exports
      .filter((each) => each.path === '/v1/traces' && each.contentType.includes('json'))
      .flatMap((each) => spansOf(JSON.parse(each.body.toString('utf8'))));
  }

  /** Resolves once `condition` holds, checked after every export; rejects after `timeoutMs`. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `no ${what} within ${timeoutMs} ms; received: ${this.exports.map((e) => e.path).join(', ')}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  async close(): Promise<void> {
    this.#http.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => this.#http.close(resolve)),
      new Promise((resolve) => this.#grpc.close(resolve)),
    ]);
  }

  #record(received: ReceivedExport): void {
    this.exports.push(received);
    for (const waiter of [...this.#waiters]) waiter();
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface JsonTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: (Omit<ReceivedSpan, 'attributes' | 'serviceName'> & { attributes?: OtlpAttribute[] })[];
    }[];
  }[];
}

function spansOf(traces: JsonTraces): ReceivedSpan[] {
  return (traces.resourceSpans ?? []).flatMap((resourceSpans) => {
    const serviceName = attributesOf(resourceSpans.resource?.attributes)['service.name'];
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        ...span,
        parentSpanId: span.parentSpanId || undefined,
        attributes: attributesOf(span.attributes),
        serviceName: typeof serviceName === 'string' ? serviceName : undefined,
      })),
    );
  });
}

export function attributesOf(
  list: OtlpAttribute[] | undefined,
): Record<string, string | number | boolean | undefined> {
  const result: Record<string, string | number | boolean | undefined> = {};
  for (const { key, value } of list ?? []) {
    result[key] =
      value.stringValue ??
      (value.intValue === undefined ? undefined : Number(value.intValue)) ??
      value.boolValue ??
      value.doubleValue;
  }
  return result;
}
