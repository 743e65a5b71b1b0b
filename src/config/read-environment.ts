import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The process environment over a `.env` file when there is one: real environment variables win,
 * as in every dotenv tool. Entry points pass `process.env`; nothing else reads it.
 */
export function readEnvironment(
  processEnv: Readonly<Record<string, string | undefined>>,
  envFile = '.env',
): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...processEnv };
}
