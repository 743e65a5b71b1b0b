import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

import type { PostgresSslMode } from './postgres-pool-options.ts';

/** node-postgres's `ssl` setting for a libpq-style sslmode. Reads the CA file now, so a bad path fails at start. */
export function tlsOptionsFor(mode: PostgresSslMode, caFile?: string): false | ConnectionOptions {
  const ca = caFile === undefined ? undefined : readFileSync(caFile, 'utf8');
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      return ca === undefined
        ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
    case 'verify-full':
      return ca === undefined ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca };
  }
}
