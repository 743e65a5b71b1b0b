import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tlsOptionsFor } from './tls-options.ts';

describe('tlsOptionsFor', () => {
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-options-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('turns TLS off for disable', () => {
    expect(tlsOptionsFor('disable')).toBe(false);
  });

  it('encrypts without checking the certificate for require', () => {
    expect(tlsOptionsFor('require')).toEqual({ rejectUnauthorized: false });
  });

  it('checks the chain but not the host name for require with a CA file', () => {
    const options = tlsOptionsFor('require', caFile);
    expect(options).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    expect(options !== false && options.checkServerIdentity?.('db.internal', {} as never)).toBeUndefined();
  });

  it('checks chain and host name for verify-full, with or without a CA file', () => {
    expect(tlsOptionsFor('verify-full')).toEqual({ rejectUnauthorized: true });
    const options = tlsOptionsFor('verify-full', caFile);
    expect(options).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    expect(options).not.toHaveProperty('checkServerIdentity');
  });

  it('fails at once when the CA file cannot be read', () => {
    expect(() => tlsOptionsFor('verify-full', join(dir, 'missing.pem'))).toThrow(/ENOENT/);
  });
});
