// The ResolveHost of a running service: the operating system's resolver (getaddrinfo, so
// /etc/hosts counts as it does for every other program), every address of both families.
import { lookup } from 'node:dns/promises';
import type { ResolveHost } from './webhook-target-policy.ts';

/** getaddrinfo has no timeout of its own; a configuration request should not wait on it for long. */
const LOOKUP_TIMEOUT_MS = 5_000;

export const resolveWithSystem: ResolveHost = async (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`resolving ${hostname} took over ${LOOKUP_TIMEOUT_MS}ms`)),
      LOOKUP_TIMEOUT_MS,
    );
  });
  try {
    const answers = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return answers.map((answer) => answer.address);
  } finally {
    clearTimeout(timer);
  }
};
