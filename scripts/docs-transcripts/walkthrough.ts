// The Profile API walkthrough of docs/profile-api.md, run against a real service: each step sends
// its request, and the markdown shows the command and exactly what came back.
import { exchange, headerOf, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';
import { codeBlock, EVERY_RESPONSE_HEADERS, renderResponse, TRANSPORT_HEADERS } from './render.ts';
import type { RunningService } from './service-process.ts';

interface Step {
  method: string;
  /** The path as the reader types it, with $ID for the profile's id. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as is; shown in single quotes. */
  body?: string;
  /** What the step must answer; anything else stops the walkthrough. */
  expect: number;
}

export async function walkthrough(service: RunningService): Promise<string> {
  const parts: string[] = [];
  const say = (text: string) => parts.push(text);
  const vars: Record<string, string> = {};
  const omitted = [...TRANSPORT_HEADERS, ...EVERY_RESPONSE_HEADERS];

  const tokenResponse = await exchange(service.url, {
    method: 'POST',
    path: '/oauth/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${service.client.id}:${service.client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expectStatus('POST /oauth/token', tokenResponse, 200);
  const token = (JSON.parse(tokenResponse.body) as { access_token: string }).access_token;

  async function run(step: Step): Promise<ExchangeResponse> {
    const path = step.path.replace(/\$(\w+)/g, (_, name: string) => vars[name] ?? `$${name}`);
    const request: ExchangeRequest = {
      method: step.method,
      path,
      headers: {
        authorization: `Bearer ${token}`,
        ...(step.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(step.body)) }),
        ...step.headers,
      },
      ...(step.body === undefined ? {} : { body: step.body }),
    };
    const response = await exchange(service.url, request);
    expectStatus(`${step.method} ${path}`, response, step.expect);
    for (const name of EVERY_RESPONSE_HEADERS) {
      if (headerOf(response, name) === undefined) {
        throw new Error(
          `${step.method} ${path} answered without ${name}, which the document says every response has`,
        );
      }
    }
    return response;
  }

  async function show(step: Step): Promise<ExchangeResponse> {
    const response = await run(step);
    say(codeBlock('sh', `$ ${curlCommand(step)}\n${renderResponse(response, omitted)}`));
    return response;
  }

  say(`The token request, with the client's id and secret (here a bootstrap client's):`);
  say(
    codeBlock(
      'sh',
      `$ curl -si -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials $B/oauth/token\n` +
        renderResponse(tokenResponse, TRANSPORT_HEADERS),
    ),
  );
  say(
    'Every request below carries that token, as `-H "authorization: Bearer $TOKEN"`. ' +
      'Responses to such requests carry these headers too, with the same meaning each time, so the ' +
      'transcripts leave them out after this one (the rate limit counts go down as requests are made):',
  );
  const first = await run({ method: 'GET', path: '/v1/profiles?limit=1', expect: 200 });
  say(
    codeBlock(
      'http',
      first.headers
        .filter(([name]) => EVERY_RESPONSE_HEADERS.includes(name))
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n'),
    ),
  );
  say(
    `Also left out: ${TRANSPORT_HEADERS.map((name) => `\`${name}\``).join(', ')}. JSON bodies are ` +
      'pretty-printed; nothing else is changed.',
  );

  say('Create a profile: 201 with `Location` and `ETag`.');
  const created = await show({
    method: 'POST',
    path: '/v1/profiles',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"Ada Lovelace","email":"ada@example.com","age":36}',
    expect: 201,
  });
  vars.ID = (headerOf(created, 'location') ?? '').split('/').pop() ?? '';

  say('Read it (the id from `Location`), then again with `If-None-Match`: a 304 without a body.');
  say(codeBlock('sh', `export ID=${vars.ID}`));
  await show({ method: 'GET', path: '/v1/profiles/$ID', expect: 200 });
  await show({ method: 'GET', path: '/v1/profiles/$ID', headers: { 'if-none-match': '"1"' }, expect: 304 });

  say('Clear the age with a merge patch: the version, and so the `ETag`, moves to `"2"`.');
  const patch = { 'content-type': 'application/merge-patch+json' };
  await show({
    method: 'PATCH',
    path: '/v1/profiles/$ID',
    headers: { ...patch, 'if-match': '"1"' },
    body: '{"age":null}',
    expect: 200,
  });

  say('The same client, still holding `"1"`, tries another change: 412, with the current `ETag`.');
  await show({
    method: 'PATCH',
    path: '/v1/profiles/$ID',
    headers: { ...patch, 'if-match': '"1"' },
    body: '{"name":"Augusta Ada King"}',
    expect: 412,
  });

  say('Without `If-Match` at all: 428.');
  await show({
    method: 'PATCH',
    path: '/v1/profiles/$ID',
    headers: patch,
    body: '{"name":"Augusta Ada King"}',
    expect: 428,
  });

  say('Replace the whole profile with `PUT`: `age` is absent, so it stays null; a new email.');
  await show({
    method: 'PUT',
    path: '/v1/profiles/$ID',
    headers: { 'content-type': 'application/json', 'if-match': '"2"' },
    body: '{"name":"Augusta Ada King","email":"ada@example.org"}',
    expect: 200,
  });

  say('That email, in another case, for another profile: 409.');
  await show({
    method: 'POST',
    path: '/v1/profiles',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"Someone Else","email":"ADA@Example.ORG"}',
    expect: 409,
  });

  say('Four more profiles, then list them in offset mode and follow `Link` to the last page:');
  const names = ['Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'];
  say(
    codeBlock(
      'sh',
      [
        `for name in ${names.map((name) => `"${name}"`).join(' ')}; do`,
        `  email=$(echo "$name" | tr 'A-Z ' 'a-z.')@example.com`,
        `  curl -s -o /dev/null -X POST $B/v1/profiles -H "authorization: Bearer $TOKEN" \\`,
        `    -H 'content-type: application/json' -d "{\\"name\\":\\"$name\\",\\"email\\":\\"$email\\"}"`,
        'done',
      ].join('\n'),
    ),
  );
  for (const name of names) {
    const email = `${name.toLowerCase().replace(/ /g, '.')}@example.com`;
    await run({
      method: 'POST',
      path: '/v1/profiles',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, email }),
      expect: 201,
    });
  }
  await show({ method: 'GET', path: '/v1/profiles?page=1&pageSize=2', expect: 200 });
  await show({ method: 'GET', path: '/v1/profiles?page=3&pageSize=2', expect: 200 });

  say(
    'Offset pagination reaches the first 10,000 profiles (`page` × `pageSize` at most 10,000); ' +
      'a deeper page is a 400 that points to cursor mode:',
  );
  await show({ method: 'GET', path: '/v1/profiles?page=51&pageSize=200', expect: 400 });

  say('Cursor mode: the first page, then the `next` link (the cursor is `meta.nextCursor`).');
  const cursorPage = await show({ method: 'GET', path: '/v1/profiles?limit=2', expect: 200 });
  const next = (JSON.parse(cursorPage.body) as { meta: { nextCursor: string } }).meta.nextCursor;
  await show({ method: 'GET', path: `/v1/profiles?limit=2&after=${next}`, expect: 200 });

  say('A cursor that was tampered with, and a request that mixes the modes: 400, naming the parameter.');
  await show({ method: 'GET', path: `/v1/profiles?limit=2&after=${next}x`, expect: 400 });
  await show({ method: 'GET', path: '/v1/profiles?page=1&limit=2', expect: 400 });

  say('Delete with the current `ETag`; the profile is gone (404) and its email is free again.');
  await show({ method: 'DELETE', path: '/v1/profiles/$ID', headers: { 'if-match': '"3"' }, expect: 204 });
  await show({ method: 'GET', path: '/v1/profiles/$ID', expect: 404 });
  await show({
    method: 'POST',
    path: '/v1/profiles',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"Ada Reborn","email":"ada@example.org"}',
    expect: 201,
  });

  return parts.join('\n\n');
}

function expectStatus(what: string, response: ExchangeResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}, not ${status}: ${response.body}`);
  }
}

function curlCommand(step: Step): string {
  const words = ['curl -si'];
  if (step.method !== 'GET') words.push(`-X ${step.method}`);
  words.push(`"$B${step.path}"`, '-H "authorization: Bearer $TOKEN"');
  for (const [name, value] of Object.entries(step.headers ?? {})) words.push(`-H '${name}: ${value}'`);
  if (step.body !== undefined) words.push(`-d '${step.body}'`);
  return words.join(' ');
}
