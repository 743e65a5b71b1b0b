// Following a $ref from where it is written. The linter resolves every ref of a document ahead of
// time; `ctx.resolve(node, from)` finds one, relative to the file (`from`) the ref sits in.

/**
 * @param {{ resolve: (node: unknown, from?: string) => { node: any; location: any } }} ctx
 * @param {unknown} node a node, possibly `{ $ref }`
 * @param {{ source: { absoluteRef: string } }} location where `node` is written
 * @returns {{ node: any; location: any }} the node the ref names (or `node` itself) and where it is
 */
export function resolveNode(ctx, node, location) {
  if (node && typeof node === 'object' && typeof (/** @type {any} */ (node).$ref) === 'string') {
    const resolved = ctx.resolve(node, location.source.absoluteRef);
    if (resolved.node !== undefined && resolved.location) return resolved;
  }
  return { node, location };
}
