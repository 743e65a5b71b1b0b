// One signed POST to a webhook receiver, through the target policy: the URL is checked (and its host
// resolved) at every delivery, and the request goes to an address that passed, by the injected
// connector. Redirects are not followed: a 3xx is the receiver's answer like any other.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { checkWebhookTarget, type ResolveHost } from './webhook-target-policy.ts';
import type { Connector } from './webhook-connector.ts';

export interface SenderSettings {
  allowInsecure: boolean;
  resolve: ResolveHost;
  connect: Connector;
  /** Bound on the whole exchange: connecting, sending and the answer's head. */
  timeoutMs: number;
  /** TLS options for https targets (the client certificate for mutual TLS, trusted CAs). */
  tls: ConnectionOptions;
}

export type SendResult =
  /** The receiver answered (any status). */
  | { kind: 'answered'; status: number; retryAfter: string | undefined }
  /** No answer: connection refused or reset, TLS failure, timeout, or the host did not resolve. */
  | { kind: 'unreachable'; error: string }
  /** The target policy refused the URL: nothing was sent. */
  | { kind: 'refused'; reason: string };

/** `{webhookUrl}/pix`: the callback path appended to the configured URL's path. */
export function callbackUrl(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/pix`;
  return url.toString();
}

export async function sendWebhook(
  settings: SenderSettings,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<SendResult> {
  let unresolved = false;
  const check = await checkWebhookTarget(url, {
    allowInsecure: settings.allowInsecure,
    resolve: async (hostname) => {
      try {
        const addresses = await settings.resolve(hostname);
        if (addresses.length === 0) unresolved = true;
        return addresses;
      } catch (error) {
        unresolved = true;
        throw error;
      }
    },
  });
  if (!check.ok) {
    // A name that does not resolve now may resolve later: a transient failure, not a refusal.
    return unresolved
      ? { kind: 'unreachable', error: check.reason }
      : { kind: 'refused', reason: check.reason };
  }
  const target = check.url;
  const address = check.addresses[0];
  if (address === undefined) return { kind: 'refused', reason: 'no address to connect to' };
  const secure = target.protocol === 'https:';
  const port = Number(target.port || (secure ? 443 : 80));
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  const request = secure ? httpsRequest : httpRequest;

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      // With no agent, node:http opens the socket with createConnection: ours, to the checked address.
      agent: undefined,
      createConnection: () =>
        settings.connect({ address, port, hostname, tls: secure ? settings.tls : undefined }),
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${settings.timeoutMs}ms`));
    }, settings.timeoutMs);
    req.on('response', (response: IncomingMessage) => {
      // The body is not needed; drain it so the socket closes cleanly.
      response.resume();
      const retryAfter = response.headers['retry-after'];
      finish({ kind: 'answered', status: response.statusCode ?? 0, retryAfter });
      response.on('error', () => undefined);
    });
    req.on('error', (error) => finish({ kind: 'unreachable', error: error.message }));
    req.end(body);
  });
}
