import path from 'node:path';
import { bundle, createConfig } from '@redocly/openapi-core';
import { GenError } from './gen-error.ts';

/**
 * The spec with every `$ref` to another file (`common/problem.yaml#/components/schemas/Problem`) moved
 * into its own `components` and referred to locally, by Redocly's bundler. A component keeps its name
 * (`Problem`) unless the document already has one by that name; then the bundler prefixes it.
 * `specFile` is the path on disk, `displayName` how messages name it (`oapi/profile.yaml`).
 */
export async function bundleSpec(specFile: string, displayName: string): Promise<unknown> {
  // An empty configuration: bundling only, none of the linter's rules.
  const config = await createConfig({});
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ ref: specFile, config, removeUnusedComponents: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new GenError(displayName, undefined, `cannot bundle the spec: ${reason}`);
  }
  const problem = result.problems.find((p) => p.severity === 'error');
  if (problem !== undefined) {
    const where = problem.location[0];
    const source = where?.source.absoluteRef ?? specFile;
    const file = path.posix.join(
      path.posix.dirname(displayName),
      path.relative(path.dirname(specFile), source).split(path.sep).join('/'),
    );
    // Paths on disk differ between machines: the message names files relative to the spec.
    const reason = problem.message.replaceAll(path.dirname(specFile) + path.sep, '');
    throw new GenError(file, where === undefined ? undefined : pointerSegments(where.pointer), reason);
  }
  return result.bundle.parsed;
}

function pointerSegments(pointer: string | undefined): string[] {
  if (pointer === undefined || pointer === '#' || pointer === '#/') return [];
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((raw) => decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~'));
}
