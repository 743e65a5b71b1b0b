// Name resolution for tests: answers from a table and records what it was asked, so no lookup
// leaves the machine whatever a test configures.
import type { ResolveHost } from '../../src/payment/webhooks/webhook-target-policy.ts';

/** Names the test service knows by default: a public-looking host, loopback and a private one. */
export const TEST_HOSTS: Readonly<Record<string, string[]>> = {
  'pix.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'receiver.example.com': ['93.184.215.15'],
  localhost: ['127.0.0.1', '::1'],
  'loopback.example.com': ['127.0.0.1'],
  'internal.example.com': ['10.20.30.40'],
};

export type RecordingResolver = ResolveHost & { asked: string[] };

export function testResolver(table: Readonly<Record<string, string[]>> = TEST_HOSTS): RecordingResolver {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<string[]> => {
    asked.push(hostname);
    const addresses = table[hostname];
    return addresses === undefined
      ? Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }))
      : Promise.resolve([...addresses]);
  };
  return Object.assign(resolve, { asked });
}
