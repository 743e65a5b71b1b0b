// One request to the running service and its response exactly as it came off the wire: status
// line, headers in the order sent, body as received.
import { request as httpRequest } from 'node:http';

export interface ExchangeRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeResponse {
  status: number;
  statusText: string;
  /** [name, value] in the order the service sent them, names lowercased. */
  headers: [string, string][];
  body: string;
}

const TIMEOUT_MS = 30_000;

export function exchange(baseUrl: string, request: ExchangeRequest): Promise<ExchangeResponse> {
  const url = new URL(request.path, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: request.method, headers: request.headers, timeout: TIMEOUT_MS },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers: [string, string][] = [];
          for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
            headers.push([incoming.rawHeaders[index]!.toLowerCase(), incoming.rawHeaders[index + 1]!]);
          }
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${request.method} ${request.path}: no answer`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export function headerOf(response: ExchangeResponse, name: string): string | undefined {
  return response.headers.find(([header]) => header === name)?.[1];
}
