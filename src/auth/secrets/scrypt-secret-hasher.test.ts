import { describe, expect, it } from 'vitest';
import { createScryptSecretHasher } from './scrypt-secret-hasher.ts';

describe('scrypt secret hasher', () => {
  const hasher = createScryptSecretHasher({ N: 1024, r: 8, p: 1 });

  it('stores its parameters and a per-secret salt with the hash, never the secret', async () => {
    const first = await hasher.hash('s3cret-value');
    const second = await hasher.hash('s3cret-value');
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('s3cret-value');
  });

  it('verifies the secret and nothing else', async () => {
    const stored = await hasher.hash('s3cret-value');
    expect(await hasher.verify('s3cret-value', stored)).toBe(true);
    expect(await hasher.verify('s3cret-valuE', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, so they can be raised later', async () => {
    const old = await hasher.hash('s3cret-value');
    expect(await createScryptSecretHasher({ N: 2048, r: 8, p: 1 }).verify('s3cret-value', old)).toBe(true);
  });

  it.each(['', 'plain', 'bcrypt$1$2$3$salt$key', 'scrypt$x$8$1$c2FsdA$a2V5', 'scrypt$1024$8$1$c2FsdA'])(
    'answers false, not an error, for the malformed hash %j',
    async (stored) => {
      expect(await hasher.verify('s3cret-value', stored)).toBe(false);
    },
  );
});
