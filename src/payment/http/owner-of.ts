import type { RequestContext } from '../../platform/request-context.ts';

/**
 * The receiving user a request acts for: its OAuth client. Every Payment operation but the open
 * payload route is secured in the contract, so the server has authenticated the client before a
 * handler runs.
 */
export function ownerOf(context: RequestContext): string {
  if (context.clientId === undefined) {
    throw new Error(
      'a Payment operation ran without an authenticated client; is it secured in the contract?',
    );
  }
  return context.clientId;
}
