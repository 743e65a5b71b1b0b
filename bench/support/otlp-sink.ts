// A stand-in OpenTelemetry collector on loopback: accepts every OTLP/HTTP export and discards it,
// counting exports per signal, so a benchmark proves telemetry really serialized and sent its data.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  url: string;
  /** Exports received so far, by path (/v1/traces, /v1/metrics, ...). */
  exports(): Record<string, number>;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const received: Record<string, number> = {};
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '/';
      received[path] = (received[path] ?? 0) + 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => ({ ...received }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
