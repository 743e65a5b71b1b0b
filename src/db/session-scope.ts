import { AsyncLocalStorage } from 'node:async_hooks';

interface OpenScope {
  readonly owner: object;
  open: boolean;
}

const scopes = new AsyncLocalStorage<readonly OpenScope[]>();

/**
 * Runs `fn` as the one session scope (withTx or withConnection) of `owner`, a pool. Nesting another
 * scope of the same pool inside it is refused: on PGlite it would wait for itself forever, and on
 * node-postgres it would silently run outside the outer transaction. Work that outlives the scope
 * (a promise left running) no longer counts as inside it.
 */
export async function runInSessionScope<T>(owner: object, what: string, fn: () => Promise<T>): Promise<T> {
  if (isInSessionScope(owner)) {
    throw new Error(
      `${what} was called inside withTx or withConnection of the same pool; nesting is not supported, ` +
        'pass the Querier you were given instead',
    );
  }
  const scope: OpenScope = { owner, open: true };
  try {
    return await scopes.run([...(scopes.getStore() ?? []), scope], fn);
  } finally {
    scope.open = false;
  }
}

export function isInSessionScope(owner: object): boolean {
  return scopes.getStore()?.some((scope) => scope.owner === owner && scope.open) ?? false;
}
