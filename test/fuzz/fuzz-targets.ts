// What the fuzz test aims at: every operation of every generated route table (api/*/server.gen.ts),
// found on disk so an API or operation added later is covered without touching the test, plus the
// routes the server registers outside the contracts.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { OperationRoute } from '../../api/operation-route.gen.ts';

/** A route outside the contracts: no schemas, no media type guard. */
export interface PlainRoute {
  readonly method: 'GET';
  readonly path: string;
}

export const PLAIN_ROUTES: readonly PlainRoute[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
];

const API_DIR = new URL('../../api/', import.meta.url);

function isOperationRoute(value: unknown): value is OperationRoute {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { operationId?: unknown }).operationId === 'string' &&
    typeof (value as { method?: unknown }).method === 'string' &&
    typeof (value as { path?: unknown }).path === 'string'
  );
}

/** Every exported route-table entry of every generated server module. */
export async function loadOperations(): Promise<OperationRoute[]> {
  const operations: OperationRoute[] = [];
  for (const entry of await readdir(API_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    // A documentation-only contract (the token endpoint's) generates a document and no routes.
    const server = new URL(`${entry.name}/server.gen.ts`, API_DIR);
    if (!existsSync(server)) continue;
    const module = (await import(server.href)) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (Array.isArray(exported)) operations.push(...exported.filter(isOperationRoute));
    }
  }
  return operations;
}

/** Methods registered per path template (HEAD wherever GET is), as the server's 405 logic sees them. */
export function methodsByPath(
  operations: readonly OperationRoute[],
  plain: readonly PlainRoute[],
): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of [...operations, ...plain]) {
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    byPath.set(path, methods);
  }
  return byPath;
}
