// The service's scopes come from its contracts: the union of the OAuth scopes every registered
// operation requires (the route tables carry each operation's effective `security`). Clients get
// scopes from this set only, so a scope no operation asks for cannot be granted.
import type { OperationRoute } from '../../api/operation-route.gen.ts';

export function contractScopes(operationTables: Iterable<readonly OperationRoute[]>): string[] {
  const scopes = new Set<string>();
  for (const operations of operationTables) {
    for (const operation of operations) {
      for (const requirement of operation.security) {
        for (const required of Object.values(requirement)) for (const scope of required) scopes.add(scope);
      }
    }
  }
  return [...scopes].sort();
}
