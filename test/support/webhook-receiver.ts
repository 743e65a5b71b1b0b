// A webhook receiver on loopback for the tests: records every request it gets (method, path,
// headers, body) and answers what the test tells it to, request by request.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with (0: left unanswered). */
  status: number;
  /** When it arrived (Date.now()). */
  receivedAt: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
}

/**
 * Decides the answer to the n-th request (0-based), given the request; null leaves it unanswered
 * (a receiver that hangs) until the receiver closes.
 */
export type Responder = (
  request: Omit<ReceivedRequest, 'status' | 'receivedAt'>,
  index: number,
) => Answer | null;

export interface WebhookReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port>/hooks`: a webhookUrl whose callback lands on /hooks/pix. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  respond: Responder;
  /** Resolves once `count` requests were answered 2xx. */
  delivered(count: number): Promise<ReceivedRequest[]>;
  /** Resolves once `count` requests arrived, whatever their answer. */
  received(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  port = 0,
  respond: Responder = () => ({ status: 200 }),
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; all: boolean; resolve: (requests: ReceivedRequest[]) => void }[] = [];
  const accepted = () => requests.filter((request) => request.status >= 200 && request.status < 300);
  const receiver: WebhookReceiver = {
    port: 0,
    url: '',
    requests,
    respond,
    delivered: (count) =>
      new Promise((resolve) => {
        if (accepted().length >= count) resolve(accepted());
        else waiters.push({ count, all: false, resolve });
      }),
    received: (count) =>
      new Promise((resolve) => {
        if (requests.length >= count) resolve(requests);
        else waiters.push({ count, all: true, resolve });
      }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server: Server = createServer((request, response) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const answer = receiver.respond(received, requests.length);
      requests.push({ ...received, status: answer?.status ?? 0, receivedAt });
      if (answer !== null) {
        response.writeHead(answer.status, answer.headers ?? {});
        response.end();
      }
      for (const waiter of waiters.filter(
        (each) => (each.all ? requests : accepted()).length >= each.count,
      )) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(waiter.all ? requests : accepted());
      }
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { port: bound, url: `http://127.0.0.1:${bound}/hooks` });
}
