// The ResolveHost of a running service: the operating system's resolver (getaddrinfo, so
// /etc/hosts counts as it does for every other program), every address of both families.
import { lookup } from 'node:dns/promises';
import type { ResolveHost } from './webhook-target-policy.ts';

type LookupAll = (hostname: string, options: { all: true; verbatim: true }) => Promise<{ address: string }[]>;

export interface SystemResolverOptions {
  /** node:dns/promises lookup unless a test gives another. */
  lookup?: LookupAll;
  /** getaddrinfo has no timeout of its own; a configuration request should not wait on it for long. */
  timeoutMs?: number;
}

export const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;

export function createSystemResolver(options: SystemResolverOptions = {}): ResolveHost {
  const lookupAll: LookupAll = options.lookup ?? lookup;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  return async (hostname) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`resolving ${hostname} took over ${timeoutMs}ms`)),
        timeoutMs,
      );
    });
    try {
      const answers = await Promise.race([lookupAll(hostname, { all: true, verbatim: true }), timeout]);
      return answers.map((answer) => answer.address);
    } finally {
      clearTimeout(timer);
    }
  };
}

export const resolveWithSystem: ResolveHost = createSystemResolver();
