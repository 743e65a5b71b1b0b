// Server-side request forgery at delivery time. Every test injects the resolver and a connector that
// records each connection the sender asks for and refuses any address off loopback, so no packet
// leaves this machine even if a check were broken. Also: mutual TLS to a receiver that requires it.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { connectToAddress, type ConnectTarget, type Connector } from './webhook-connector.ts';
import { WebhookDelivery } from './webhook-delivery.ts';
import { sendWebhook, type SenderSettings } from './webhook-sender.ts';
import { checkWebhookTarget, isLoopbackAddress, type ResolveHost } from './webhook-target-policy.ts';

const SECRET = `whsec_${Buffer.from('a-test-secret-of-thirty-two-byte').toString('base64')}`;
const PUBLIC_ADDRESS = '93.184.215.14';

describe('webhook delivery against server-side request forgery', () => {
  let attempts: ConnectTarget[];
  let resolutions: string[];
  let receiver: WebhookReceiver;

  /** Connects to loopback only; anything else is recorded and refused. */
  const guardedConnector: Connector = (target) => {
    attempts.push(target);
    if (isLoopbackAddress(target.address)) return connectToAddress(target);
    const socket = new Socket();
    process.nextTick(() => socket.destroy(new Error(`test connector refused ${target.address}`)));
    return socket;
  };

  /** Answers each resolution of a name with the next of `answers` (the last one repeats). */
  function resolver(answers: string[][]): ResolveHost {
    let calls = 0;
    return async (hostname) => {
      resolutions.push(hostname);
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls += 1;
      return answer;
    };
  }

  function settings(resolve: ResolveHost, allowInsecure: boolean): SenderSettings {
    return { allowInsecure, resolve, connect: guardedConnector, timeoutMs: 2000, tls: {} };
  }

  beforeEach(async () => {
    attempts = [];
    resolutions = [];
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  it.each([
    ['http://169.254.169.254/latest/meta-data', true],
    ['https://169.254.169.254/', true],
    ['https://10.0.0.1/', true],
    ['https://[fd00:ec2::254]/', true],
    ['https://[::1]/', false],
    ['https://127.0.0.1/', false],
  ])('refuses %s (insecure mode %s) without connecting', async (url, allowInsecure) => {
    const result = await sendWebhook(settings(resolver([[PUBLIC_ADDRESS]]), allowInsecure), url, {}, '{}');
    expect(result.kind).toBe('refused');
    expect(attempts).toEqual([]);
  });

  it('refuses a host name that resolves to 127.0.0.1 with insecure mode off', async () => {
    const result = await sendWebhook(
      settings(resolver([['127.0.0.1']]), false),
      'https://hooks.receiver.example/pix',
      {},
      '{}',
    );
    // The reason names the kind of address, never the address a name resolved to (no oracle).
    expect(result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('loopback') });
    expect(JSON.stringify(result)).not.toContain('127.0.0.1');
    expect(attempts).toEqual([]);
  });

  it('refuses at delivery a host whose second resolution changed to a private address', async () => {
    const resolve = resolver([[PUBLIC_ADDRESS], ['10.0.0.7']]);
    // Configuration time: the name resolves to a public address and is accepted.
    const configured = await checkWebhookTarget('https://hooks.receiver.example', {
      allowInsecure: false,
      resolve,
    });
    expect(configured.ok).toBe(true);
    // Delivery time: it now resolves to a private one.
    const result = await sendWebhook(
      settings(resolve, false),
      'https://hooks.receiver.example/pix',
      {},
      '{}',
    );
    expect(result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('not public') });
    expect(JSON.stringify(result)).not.toContain('10.0.0.7');
    expect(attempts).toEqual([]);
  });

  it('connects to the address it checked, resolving the name once per delivery', async () => {
    // A rebinding resolver: loopback for the check, a private address for any later lookup.
    const resolve = resolver([['127.0.0.1'], ['10.0.0.7']]);
    const url = `http://receiver.test:${receiver.port}/hooks/pix`;
    const result = await sendWebhook(settings(resolve, true), url, { 'webhook-id': 'x' }, '{"pix":[]}');
    expect(result).toMatchObject({ kind: 'answered', status: 200 });
    expect(resolutions).toEqual(['receiver.test']);
    expect(attempts.map((attempt) => attempt.address)).toEqual(['127.0.0.1']);
    expect(receiver.requests[0]!.headers.host).toBe(`receiver.test:${receiver.port}`);
  });

  it('does not follow a redirect to the metadata address: a 3xx is dead-lettered', async () => {
    receiver.respond = () => ({
      status: 302,
      headers: { location: 'http://169.254.169.254/latest/meta-data' },
    });
    const delivery = new WebhookDelivery(
      {
        sender: settings(resolver([['127.0.0.1']]), true),
        signingSecret: SECRET,
        retry: { baseDelayMs: 10, maxDelayMs: 100 },
        maxAttempts: 5,
      },
      new TestClock(),
    );
    const attempt = await delivery.attempt(
      `http://receiver.test:${receiver.port}/hooks`,
      { id: 'e1', body: '{}' },
      0,
    );
    expect(attempt.outcome).toEqual({ status: 'dead', error: 'answered 302' });
    expect(attempts.map((each) => each.address)).toEqual(['127.0.0.1']);
    expect(receiver.requests).toHaveLength(1);
  });

  it('dead-letters a target the policy refuses at delivery, sending nothing', async () => {
    const delivery = new WebhookDelivery(
      {
        sender: settings(resolver([['10.1.2.3']]), false),
        signingSecret: SECRET,
        retry: { baseDelayMs: 10, maxDelayMs: 100 },
        maxAttempts: 5,
      },
      new TestClock(),
    );
    const attempt = await delivery.attempt('https://hooks.receiver.example', { id: 'e1', body: '{}' }, 0);
    expect(attempt.label).toBe('refused');
    expect(attempt.outcome).toMatchObject({
      status: 'dead',
      error: expect.stringContaining('target refused'),
    });
    expect(attempts).toEqual([]);
  });

  it('retries a name that does not resolve (a passing DNS failure), sending nothing', async () => {
    const failing: ResolveHost = async () => {
      throw new Error('getaddrinfo ENOTFOUND');
    };
    const result = await sendWebhook(
      settings(failing, false),
      'https://hooks.receiver.example/pix',
      {},
      '{}',
    );
    expect(result.kind).toBe('unreachable');
    expect(attempts).toEqual([]);
  });
});

describe('webhook delivery over mutual TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-mtls-'));
  let server: Server;
  let port: number;
  let peers: string[];
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');

  beforeAll(async () => {
    const selfSigned = (name: string, subject: string, extension: string) =>
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          subject,
          '-addext',
          extension,
          '-keyout',
          join(dir, `${name}.key`),
          '-out',
          join(dir, `${name}.crt`),
        ],
        { stdio: 'ignore' },
      );
    selfSigned('receiver', '/CN=localhost', 'subjectAltName=DNS:localhost');
    selfSigned('psp', '/CN=psp.example', 'extendedKeyUsage=clientAuth');
    server = createServer(
      {
        key: file('receiver.key'),
        cert: file('receiver.crt'),
        requestCert: true,
        rejectUnauthorized: true,
        ca: file('psp.crt'),
      },
      (request, response) => {
        peers.push(String((request.socket as TLSSocket).getPeerCertificate().subject?.CN));
        request.resume();
        request.on('end', () => response.writeHead(200).end());
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    peers = [];
  });
  afterAll(async () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = (tls: SenderSettings['tls']): SenderSettings => ({
    allowInsecure: true,
    resolve: async () => ['127.0.0.1'],
    connect: connectToAddress,
    timeoutMs: 5000,
    tls,
  });

  it('presents the client certificate and checks the receiver against its host name', async () => {
    const result = await sendWebhook(
      settings({ cert: file('psp.crt'), key: file('psp.key'), ca: file('receiver.crt') }),
      `https://localhost:${port}/pix`,
      {},
      '{"pix":[]}',
    );
    expect(result).toMatchObject({ kind: 'answered', status: 200 });
    expect(peers).toEqual(['psp.example']);
  });

  it('gets no answer without the client certificate', async () => {
    const result = await sendWebhook(
      settings({ ca: file('receiver.crt') }),
      `https://localhost:${port}/pix`,
      {},
      '{}',
    );
    expect(result.kind).toBe('unreachable');
    expect(peers).toEqual([]);
  });

  it('refuses a receiver whose certificate names another host', async () => {
    const result = await sendWebhook(
      {
        ...settings({ cert: file('psp.crt'), key: file('psp.key'), ca: file('receiver.crt') }),
        resolve: async () => ['127.0.0.1'],
      },
      `https://other.test:${port}/pix`,
      {},
      '{}',
    );
    expect(result).toMatchObject({ kind: 'unreachable', error: expect.stringMatching(/other\.test/) });
    expect(peers).toEqual([]);
  });
});
