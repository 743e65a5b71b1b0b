// Secrets the embedded (zero-setup) mode makes for itself on first start and keeps between runs,
// so development needs no configuration while production must configure them explicitly.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecret {
  value: string;
  /** True when this call made the secret (worth a warning: it exists only on this machine). */
  created: boolean;
  path: string;
}

export function loadOrCreateSecret(dir: string, name: string, create: () => string): LocalSecret {
  const path = join(dir, name);
  const existing = readIfPresent(path);
  if (existing !== undefined) return { value: existing, created: false, path };

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = create();
  try {
    // `wx` fails if another process created it meanwhile; then theirs wins and both agree.
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return { value, created: true, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readIfPresent(path) ?? value, created: false, path };
  }
}

function readIfPresent(path: string): string | undefined {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (value.length === 0) throw new Error(`${path} is empty; delete it and a new secret will be made`);
  return value;
}
