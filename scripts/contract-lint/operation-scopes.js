// house/operation-scopes: a secured operation is authorized by OAuth scopes, and says what a missing
// token (401) and a token without the scope (403) get. The built-in rules check the rest: that every
// operation has security (`security-defined`) and that its scopes are declared by the scheme
// (`security-scopes-defined`). An operation's own `security: []` is a deliberate decision to leave it
// open and is not checked here.
import { isException } from './operation-exceptions.js';
import { resolveNode } from './resolve-node.js';

/** Schemes whose requirements list scopes; any other (http, apiKey) carries none in OpenAPI 3.0. */
const SCOPED_SCHEMES = new Set(['oauth2', 'openIdConnect']);

/**
 * @param {{ exceptions?: { path: string; methods?: string[] }[] }} options
 * @returns {import('@redocly/openapi-core').Oas3Rule}
 */
export function OperationScopes(options) {
  /** @type {any} */
  let root;
  /** @type {string} */
  let path = '';
  return {
    Root: {
      enter(node) {
        root = node;
      },
    },
    PathItem: {
      enter(_pathItem, ctx) {
        path = String(ctx.key);
      },
      Operation(operation, ctx) {
        if (isException(options, path, String(ctx.key))) return;
        if (Array.isArray(operation.security) && operation.security.length === 0) return;
        const security = operation.security ?? root?.security;
        if (!Array.isArray(security) || security.length === 0) return;
        const at = operation.security ? ctx.location.child(['security']) : ctx.location.key();

        for (const status of ['401', '403']) {
          if (!(status in (operation.responses ?? {}))) {
            ctx.report({
              message: `A secured operation declares its ${status} response.`,
              location: ctx.location.child(['responses']).key(),
            });
          }
        }

        const schemes = root?.components?.securitySchemes ?? {};
        for (const requirement of security) {
          const entries = Object.entries(requirement ?? {});
          if (entries.length === 0) {
            ctx.report({
              message:
                'An empty security requirement makes the operation open; say `security: []` to mean it.',
              location: at,
            });
          }
          for (const [name, scopes] of entries) {
            if (schemes[name] === undefined) continue; // `security-defined` names the unknown scheme
            const scheme = resolveNode(ctx, schemes[name], ctx.location).node;
            if (!SCOPED_SCHEMES.has(scheme?.type)) {
              ctx.report({
                message: `Security scheme \`${name}\` is ${scheme?.type}; operations are authorized by OAuth scopes.`,
                location: at,
              });
              continue;
            }
            if (!Array.isArray(scopes) || scopes.length === 0) {
              ctx.report({ message: `Security requirement \`${name}\` requires no scope.`, location: at });
            }
          }
        }
      },
    },
  };
}
