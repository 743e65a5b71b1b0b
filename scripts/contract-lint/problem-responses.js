// house/problem-responses: every error an operation declares (4xx, 5xx, `default`) is an
// `application/problem+json` of the document's problem schema, and every operation declares some.
//
// The problem schema is the shared RFC 9457 `Problem` (the `sharedProblem` option: a file and pointer
// relative to redocly.yaml), unless the document names another with `x-problem-dialect: <Name>`: then
// every error is a `#/components/schemas/<Name>`, the document's own or one it refers to in another
// file, and one schema for all of them. The shared `Problem` is refused there.
import { resolve as resolvePath } from 'node:path';
import { isException } from './operation-exceptions.js';
import { resolveNode } from './resolve-node.js';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * @param {{ contentDir: string }} plugin
 * @param {{ sharedProblem?: string; exceptions?: { path: string; methods?: string[] }[] }} options
 */
function expectedProblem(plugin, options) {
  const [file = '', pointer = ''] = (options.sharedProblem ?? '').split('#');
  if (!file || !pointer)
    throw new Error('house/problem-responses: the sharedProblem option is <file>#<pointer>');
  return `${resolvePath(plugin.contentDir, file)}#${pointer}`;
}

/** @param {{ contentDir: string }} plugin */
export function problemResponses(plugin) {
  /**
   * @param {{ sharedProblem?: string; exceptions?: { path: string; methods?: string[] }[] }} options
   * @returns {import('@redocly/openapi-core').Oas3Rule}
   */
  return function ProblemResponses(options) {
    const sharedProblem = expectedProblem(plugin, options);
    /** @type {string | undefined} the dialect's name, when the document declares one */
    let dialect;
    /** @type {string | undefined} where the dialect's schema is, once known */
    let dialectSchema;
    let path = '';

    /** Where a response's problem schema must be, or a message saying why it cannot be checked. */
    const expectedFor = (/** @type {string} */ actual) => {
      if (dialect === undefined) return sharedProblem;
      if (!actual.endsWith(`#/components/schemas/${dialect}`)) return `#/components/schemas/${dialect}`;
      dialectSchema ??= actual;
      return dialectSchema;
    };

    return {
      Root: {
        enter(root, ctx) {
          const declared = root['x-problem-dialect'];
          if (declared === undefined) return;
          if (typeof declared !== 'string' || declared === '') {
            ctx.report({
              message: '`x-problem-dialect` names a component schema.',
              location: ctx.location.child(['x-problem-dialect']),
            });
            return;
          }
          dialect = declared;
          const own = root.components?.schemas?.[declared];
          if (own !== undefined) {
            const at = ctx.location.child(['components', 'schemas', declared]);
            const target = resolveNode(ctx, own, at).location;
            dialectSchema = `${target.source.absoluteRef}${target.pointer}`;
          }
        },
      },
      PathItem: {
        enter(_pathItem, ctx) {
          path = String(ctx.key);
        },
        Operation(operation, ctx) {
          if (isException(options, path, String(ctx.key))) return;
          const responses = operation.responses ?? {};
          const errors = Object.keys(responses).filter(
            (status) => /^[45]/.test(status) || status === 'default',
          );
          if (errors.length === 0) {
            ctx.report({
              message: 'An operation declares the problems it can answer (4xx, 5xx or default).',
              location: ctx.location.child(['responses']).key(),
            });
          }
          for (const status of errors) {
            const at = ctx.location.child(['responses', status]);
            const response = resolveNode(ctx, responses[status], at);
            const content = response.node?.content ?? {};
            const mediaTypes = Object.keys(content);
            if (mediaTypes.length !== 1 || mediaTypes[0] !== PROBLEM_MEDIA_TYPE) {
              ctx.report({
                message: `Error response ${status} is ${PROBLEM_MEDIA_TYPE} only, not ${mediaTypes.join(', ') || 'empty'}.`,
                location: at,
              });
              continue;
            }
            const raw = content[PROBLEM_MEDIA_TYPE].schema;
            const schemaAt = response.location.child(['content', PROBLEM_MEDIA_TYPE, 'schema']);
            const schema = resolveNode(ctx, raw, schemaAt).location;
            const actual = `${schema.source.absoluteRef}${schema.pointer}`;
            const expected = expectedFor(actual);
            if (actual !== expected) {
              const used = typeof raw?.$ref === 'string' ? display(actual) : 'a schema of its own';
              ctx.report({
                message: `Error response ${status} uses ${used}, not the document's problem schema ${display(expected)}.`,
                location: at,
              });
            }
          }
        },
      },
    };
  };
}

/** A location relative to the working directory, as the linter's own messages name files. */
function display(/** @type {string} */ absolute) {
  const cwd = `${process.cwd()}/`;
  return absolute.startsWith(cwd) ? absolute.slice(cwd.length) : absolute;
}
