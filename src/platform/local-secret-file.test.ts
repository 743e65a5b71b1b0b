import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from './local-secret-file.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadOrCreateSecret', () => {
  it('creates the secret once, private to the owner, and returns the same value afterwards', () => {
    dir = join(mkdtempSync(join(tmpdir(), 'secret-')), 'nested');
    const first = loadOrCreateSecret(dir, 'hmac-secret', () => 'generated-value');
    expect(first).toMatchObject({ value: 'generated-value', created: true });
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateSecret(dir, 'hmac-secret', () => 'another-value');
    expect(second).toMatchObject({ value: 'generated-value', created: false });
  });

  it('refuses an empty secret file rather than use or silently replace it', () => {
    dir = mkdtempSync(join(tmpdir(), 'secret-'));
    writeFileSync(join(dir, 'hmac-secret'), '\n');
    expect(() => loadOrCreateSecret(dir, 'hmac-secret', () => 'x')).toThrow(/is empty; delete it/);
    expect(readFileSync(join(dir, 'hmac-secret'), 'utf8')).toBe('\n');
  });
});
