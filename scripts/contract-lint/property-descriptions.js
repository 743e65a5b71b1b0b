// house/property-descriptions: every property of every schema says what it is, for the generated
// types' readers and the API reference. A description next to the property's $ref counts, as it
// overrides the target's (docs/codegen.md).
import { resolveNode } from './resolve-node.js';

/** @returns {import('@redocly/openapi-core').Oas3Rule} */
export function PropertyDescriptions() {
  return {
    Schema(schema, ctx) {
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const at = ctx.location.child(['properties', name]);
        const described =
          typeof (/** @type {any} */ (property)?.description) === 'string' ||
          typeof resolveNode(ctx, property, at).node?.description === 'string';
        if (!described)
          ctx.report({ message: `Property \`${name}\` has no description.`, location: at.key() });
      }
    },
  };
}
