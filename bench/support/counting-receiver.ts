// The receiving end of the webhook benchmark: a plain node:http server on loopback that verifies
// each Standard Webhooks signature once, as a receiver would, and keeps the first arrival of each
// `webhook-id` (the event id). A repeated id is counted as a duplicate, never as a second
// notification; a request that fails verification is counted and answered 400.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Arrival {
  /** When its first copy arrived (Date.now(), the clock the service stamps events with). */
  receivedAt: number;
  txid: string;
}

export interface CountingReceiver {
  /** `http://127.0.0.1:<port>/hooks`: a webhookUrl whose callbacks land on /hooks/pix. */
  readonly url: string;
  /** First arrival by event id. */
  readonly arrivals: Map<string, Arrival>;
  duplicates(): number;
  rejected(): number;
  /** Resolves once `count` distinct notifications about these txids arrived; rejects after timeoutMs. */
  awaitTxids(txids: ReadonlySet<string>, count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCountingReceiver(signingSecret: string): Promise<CountingReceiver> {
  const verifier = new Webhook(signingSecret);
  const arrivals = new Map<string, Arrival>();
  let duplicates = 0;
  let rejected = 0;
  let onArrival: (arrival: Arrival) => void = () => undefined;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receivedAt = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      };
      let txid: string;
      try {
        if (request.method !== 'POST' || request.url !== '/hooks/pix') throw new Error('not the callback');
        const payload = verifier.verify(body, headers) as { pix?: { txid?: string }[] };
        txid = payload.pix?.[0]?.txid ?? '';
        if (txid === '') throw new Error('no txid in the callback');
      } catch {
        rejected += 1;
        response.writeHead(400).end();
        return;
      }
      const id = headers['webhook-id'];
      response.writeHead(200).end();
      if (arrivals.has(id)) {
        duplicates += 1;
        return;
      }
      const arrival = { receivedAt, txid };
      arrivals.set(id, arrival);
      onArrival(arrival);
    });
  });
  // The relay keeps its connections open between deliveries.
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    arrivals,
    duplicates: () => duplicates,
    rejected: () => rejected,
    awaitTxids: (txids, count, timeoutMs) =>
      new Promise((resolve, reject) => {
        let seen = [...arrivals.values()].filter((arrival) => txids.has(arrival.txid)).length;
        const finish = () => {
          clearTimeout(timer);
          onArrival = () => undefined;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`only ${seen} of ${count} notifications arrived in ${timeoutMs} ms`));
        }, timeoutMs);
        onArrival = (arrival) => {
          if (txids.has(arrival.txid)) seen += 1;
          if (seen >= count) {
            finish();
            resolve();
          }
        };
        if (seen >= count) {
          finish();
          resolve();
        }
      }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
