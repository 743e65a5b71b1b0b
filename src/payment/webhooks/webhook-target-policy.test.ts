import { describe, expect, it } from 'vitest';
import {
  checkWebhookTarget,
  isLoopbackAddress,
  isPublicAddress,
  type ResolveHost,
  type WebhookTargetOptions,
} from './webhook-target-policy.ts';

/** A resolver that answers from a table and records what it was asked; no lookup leaves the process. */
function tableResolver(table: Record<string, string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<string[]> => {
    asked.push(hostname);
    const addresses = table[hostname];
    return addresses === undefined
      ? Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }))
      : Promise.resolve(addresses);
  };
  return Object.assign(resolve, { asked });
}

const NAMES = {
  'pix.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'local.example.com': ['127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
  'private.example.com': ['10.1.2.3'],
  'half-private.example.com': ['93.184.215.14', '192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:10.0.0.1'],
  'nat64.example.com': ['64:ff9b::a9fe:a9fe'],
  'empty.example.com': [],
};

function secure(resolve = tableResolver(NAMES)): WebhookTargetOptions {
  return { allowInsecure: false, resolve };
}

function insecure(resolve = tableResolver(NAMES)): WebhookTargetOptions {
  return { allowInsecure: true, resolve };
}

async function refusal(url: string, options: WebhookTargetOptions): Promise<string> {
  const result = await checkWebhookTarget(url, options);
  if (result.ok) throw new Error(`${url} was accepted (${result.addresses.join(', ')})`);
  return result.reason;
}

describe('isPublicAddress', () => {
  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, anywhere in 127/8', '127.255.0.7'],
    ['IPv6 loopback', '::1'],
    ['private 10/8', '10.0.0.1'],
    ['private 172.16/12', '172.31.255.254'],
    ['private 192.168/16', '192.168.0.1'],
    ['link-local, the cloud metadata address', '169.254.169.254'],
    ['IPv6 link-local', 'fe80::1'],
    ['unique-local, the cloud metadata address over IPv6', 'fd00:ec2::254'],
    ['unique-local', 'fc00::1'],
    ['shared address space (CGNAT)', '100.64.0.1'],
    ['IPv4 multicast', '224.0.0.1'],
    ['IPv6 multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['unspecified', '0.0.0.0'],
    ['"this network"', '0.1.2.3'],
    ['IPv6 unspecified', '::'],
    ['documentation TEST-NET-1', '192.0.2.1'],
    ['documentation TEST-NET-2', '198.51.100.1'],
    ['documentation TEST-NET-3', '203.0.113.1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv6 documentation (RFC 9637)', '3fff::1'],
    ['benchmarking', '198.18.0.1'],
    ['IPv6 benchmarking', '2001:2::1'],
    ['IETF protocol assignments', '192.0.0.8'],
    ['reserved class E', '240.0.0.1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
    ['IPv4-mapped in hexadecimal', '::ffff:7f00:1'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['NAT64 of the metadata address', '64:ff9b::169.254.169.254'],
    ['NAT64 of a private address', '64:ff9b::a00:1'],
    ['local-use NAT64 (RFC 8215)', '64:ff9b:1::808:808'],
    ['IPv4-compatible (deprecated) loopback', '::127.0.0.1'],
    ['IPv4-translated (RFC 6145)', '::ffff:0:7f00:1'],
    ['6to4, which tunnels to an unchecked IPv4 address', '2002:7f00:1::1'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['deprecated site-local', 'fec0::1'],
    ['discard-only', '100::1'],
    ['with a zone', 'fe80::1%eth0'],
    ['not an address', 'example.com'],
    ['empty', ''],
    ['IPv4 in fewer than four parts', '127.1'],
    ['IPv4 in hexadecimal', '0x7f.0.0.1'],
    ['IPv4 in octal', '0177.0.0.1'],
  ])('refuses %s (%s)', (_name, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each(['10.0.0.1', '8.8.8.8', '::', 'fe80::1', 'localhost', '127.1'])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});

describe('checkWebhookTarget', () => {
  it('accepts https to a host whose every address is public, and returns them to connect to', async () => {
    const result = await checkWebhookTarget('https://pix.example.com/api/webhook/', secure());
    expect(result).toEqual({
      ok: true,
      url: new URL('https://pix.example.com/api/webhook/'),
      addresses: NAMES['pix.example.com'],
    });
  });

  it('accepts a public IP literal without resolving anything', async () => {
    const resolve = tableResolver({});
    const result = await checkWebhookTarget('https://93.184.215.14:8443/hook', secure(resolve));
    expect(result).toMatchObject({ ok: true, addresses: ['93.184.215.14'] });
    expect(resolve.asked).toEqual([]);
  });

  describe('refuses, with insecure mode off', () => {
    it.each([
      ['the metadata address over http', 'http://169.254.169.254/', 'must use https'],
      [
        'the metadata address over https',
        'https://169.254.169.254/latest/meta-data/',
        'is 169.254.169.254, not a public address',
      ],
      ['a private address', 'https://10.0.0.1/', 'is 10.0.0.1, not a public address'],
      [
        'IPv6 loopback',
        'https://[::1]/',
        'is ::1, a loopback address (allowed only with PIX_WEBHOOK_ALLOW_INSECURE)',
      ],
      ['IPv4 loopback', 'https://127.0.0.1:8443/', 'is 127.0.0.1, a loopback address'],
      ['loopback written in hexadecimal', 'https://0x7f.0.0.1/', 'is 127.0.0.1, a loopback address'],
      ['loopback written as one number', 'https://2130706433/', 'is 127.0.0.1, a loopback address'],
      ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/', 'not a public address'],
      ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', 'a loopback address'],
      ['NAT64 of the metadata address', 'https://[64:ff9b::169.254.169.254]/', 'not a public address'],
      ['the unspecified address', 'https://0.0.0.0/', 'not a public address'],
      ['unique-local metadata', 'https://[fd00:ec2::254]/', 'not a public address'],
    ])('%s (%s)', async (_name, url, reason) => {
      const resolve = tableResolver(NAMES);
      expect(await refusal(url, secure(resolve))).toContain(reason);
      expect(resolve.asked).toEqual([]);
    });

    it.each([
      [
        'a name resolving to 127.0.0.1',
        'https://local.example.com/',
        'resolves to a loopback address (allowed only with PIX_WEBHOOK_ALLOW_INSECURE)',
      ],
      [
        'localhost',
        'https://localhost:8443/',
        'resolves to a loopback address (allowed only with PIX_WEBHOOK_ALLOW_INSECURE)',
      ],
      [
        'a name resolving to a private address',
        'https://private.example.com/',
        'resolves to an address that is not public',
      ],
      [
        'a name with one private address among public ones',
        'https://half-private.example.com/',
        'resolves to an address that is not public',
      ],
      [
        'a name resolving to the metadata address',
        'https://metadata.example.com/',
        'resolves to an address that is not public',
      ],
      [
        'a name resolving to an IPv4-mapped private address',
        'https://mapped.example.com/',
        'resolves to an address that is not public',
      ],
      [
        'a name resolving to NAT64 of the metadata address',
        'https://nat64.example.com/',
        'resolves to an address that is not public',
      ],
      [
        'a name that does not resolve',
        'https://nowhere.example.com/',
        'does not resolve (nowhere.example.com)',
      ],
      ['a name that resolves to nothing', 'https://empty.example.com/', 'does not resolve'],
    ])('%s (%s)', async (_name, url, reason) => {
      expect(await refusal(url, secure())).toContain(reason);
    });

    it('does not tell what a host name resolves to', async () => {
      for (const url of ['https://private.example.com/', 'https://metadata.example.com/']) {
        expect(await refusal(url, secure())).not.toMatch(/10\.1\.2\.3|169\.254/);
      }
    });

    it.each([
      ['plain http to a public host', 'http://pix.example.com/', 'must use https'],
      ['ftp', 'ftp://pix.example.com/', 'must use https (got ftp)'],
      ['file', 'file:///etc/passwd', 'must use https (got file)'],
      ['gopher', 'gopher://pix.example.com:70/', 'must use https (got gopher)'],
      ['javascript', 'javascript:alert(1)', 'must use https (got javascript)'],
      ['data', 'data:text/plain,hi', 'must use https (got data)'],
      ['ws', 'wss://pix.example.com/', 'must use https (got wss)'],
      ['a user name', 'https://user@pix.example.com/', 'may not carry a user name or password'],
      ['a password', 'https://user:secret@pix.example.com/', 'may not carry a user name or password'],
      [
        'userinfo that looks like the host',
        'https://pix.example.com@10.0.0.1/',
        'may not carry a user name or password',
      ],
      ['a query', 'https://pix.example.com/hook?token=1', 'may not carry a query or fragment'],
      ['a fragment', 'https://pix.example.com/hook#x', 'may not carry a query or fragment'],
      ['port 0', 'https://pix.example.com:0/', 'may not use port 0'],
      ['a relative reference', '/api/webhook', 'is not an absolute URL'],
      ['not a URL', 'pix.example.com', 'is not an absolute URL'],
      ['an empty string', '', 'is not an absolute URL'],
    ])('%s (%s)', async (_name, url, reason) => {
      const resolve = tableResolver(NAMES);
      expect(await refusal(url, secure(resolve))).toContain(reason);
      expect(resolve.asked).toEqual([]);
    });
  });

  describe('with insecure mode on', () => {
    it('accepts loopback over http and https, by literal and by name', async () => {
      for (const url of [
        'http://127.0.0.1:9000/hook',
        'http://[::1]:9000/hook',
        'http://localhost:9000/hook',
        'https://[::1]/',
        'https://local.example.com/',
      ]) {
        expect(await checkWebhookTarget(url, insecure())).toMatchObject({ ok: true });
      }
      expect(await checkWebhookTarget('http://localhost:9000/', insecure())).toMatchObject({
        addresses: ['127.0.0.1', '::1'],
      });
    });

    it('still refuses plain http to anything but loopback', async () => {
      expect(await refusal('http://pix.example.com/', insecure())).toContain(
        'resolves to an address that is not loopback (plain http is for local development only)',
      );
      expect(await refusal('http://169.254.169.254/', insecure())).toContain('not a loopback address');
    });

    it('still refuses private, link-local and unique-local targets', async () => {
      for (const url of [
        'https://10.0.0.1/',
        'https://169.254.169.254/',
        'https://[fd00:ec2::254]/',
        'https://private.example.com/',
        'https://nat64.example.com/',
      ]) {
        expect(await refusal(url, insecure())).toMatch(/not a public address|not public/);
      }
    });

    it('still refuses other schemes and userinfo', async () => {
      expect(await refusal('ftp://127.0.0.1/', insecure())).toContain('must use https (got ftp)');
      expect(await refusal('http://user@127.0.0.1/', insecure())).toContain('user name or password');
    });
  });
});
