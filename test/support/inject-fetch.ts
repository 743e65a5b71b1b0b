// A `fetch` that answers from the app in-process (`app.inject` through a contract-checked client)
// instead of the network, so the generated typed clients (clients/) drive the app in tests exactly as
// they drive a running service: `createProfileClient(INJECT_ORIGIN, { fetch: injectFetch(client) })`.
import type { ContractClient } from './contract-client.ts';

/** The base URL of a client over injectFetch: never dialled, only its path reaches the app. */
export const INJECT_ORIGIN = 'http://app.test';

/** Statuses whose response has no body, for which `new Response` refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function injectFetch(client: ContractClient): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body =
      request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : Buffer.from(await request.arrayBuffer());
    const response = await client.inject({
      method: request.method,
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body !== undefined && body.length > 0 ? { payload: body } : {}),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const each of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(each));
    }
    return new Response(NULL_BODY_STATUSES.has(response.statusCode) ? null : response.rawPayload, {
      status: response.statusCode,
      headers: responseHeaders,
    });
  };
}
