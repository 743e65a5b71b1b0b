import { GenError } from './gen-error.ts';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a local JSON pointer (`#/components/schemas/Profile`) names, or undefined. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isRecord(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/** The location segments of a local ref, for messages: `#/components/schemas/A` -> components.schemas.A. */
export function refLocation(ref: string): string[] {
  return ref
    .slice(2)
    .split('/')
    .map((raw) => decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~'));
}

export interface Followed<T> {
  readonly value: T;
  /** Where the value really lives, for messages. */
  readonly location: readonly (string | number)[];
}

/**
 * Follows a chain of `$ref`s to a parameter, response, request body, header or security scheme
 * (refs were checked to be local and resolvable when the document was loaded).
 */
export function followRef<T>(
  root: unknown,
  value: unknown,
  location: readonly (string | number)[],
  file: string,
): Followed<T> {
  let current = value;
  let at = location;
  const seen = new Set<string>();
  while (isRecord(current) && typeof current['$ref'] === 'string') {
    const ref = current['$ref'];
    if (seen.has(ref)) throw new GenError(file, at, `$ref cycle through '${ref}'`);
    seen.add(ref);
    current = resolvePointer(root, ref);
    at = refLocation(ref);
  }
  if (!isRecord(current)) throw new GenError(file, at, 'expected an object');
  return { value: current as T, location: at };
}

/**
 * A copy of a schema with every `$ref` inlined. Recursive schemas cannot be inlined, and the route
 * table wants self-contained schemas, so recursion is rejected naming the cycle.
 */
export function derefSchema(
  root: unknown,
  schema: unknown,
  location: readonly (string | number)[],
  file: string,
): unknown {
  return inline(root, schema, location, file, []);
}

function inline(
  root: unknown,
  value: unknown,
  location: readonly (string | number)[],
  file: string,
  stack: readonly string[],
): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => inline(root, item, [...location, index], file, stack));
  if (!isRecord(value)) return value;
  const ref = value['$ref'];
  if (typeof ref === 'string') {
    if (stack.includes(ref)) {
      const cycle = [...stack.slice(stack.indexOf(ref)), ref].map((r) => r.split('/').at(-1)).join(' -> ');
      throw new GenError(file, refLocation(ref), `recursive schema is not supported (${cycle})`);
    }
    const cache = inlinedRefs(root);
    let target = cache.get(ref);
    if (target === undefined) {
      target = inline(root, resolvePointer(root, ref), refLocation(ref), file, [...stack, ref]);
      cache.set(ref, target);
    }
    const { $ref: _ref, ...siblings } = value;
    return withSiblings(target, inline(root, siblings, location, file, stack) as Json);
  }
  const result: Json = {};
  for (const [key, child] of Object.entries(value)) {
    // Instance data is copied as is: a `$ref` key inside an example or a default is not a reference.
    result[key] =
      DATA_KEYS.has(key) && location.at(-1) !== 'properties'
        ? child
        : inline(root, child, [...location, key], file, stack);
  }
  return result;
}

// A ref inlines to the same tree wherever it appears; the trees are shared, and later stages copy them.
const inlinedByRoot = new WeakMap<object, Map<string, unknown>>();

function inlinedRefs(root: unknown): Map<string, unknown> {
  const key = root as object;
  let cache = inlinedByRoot.get(key);
  if (cache === undefined) {
    cache = new Map();
    inlinedByRoot.set(key, cache);
  }
  return cache;
}

const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);
const ANNOTATIONS = new Set(['description', 'summary', 'title']);

/**
 * OpenAPI 3.0 ignores a `$ref`'s siblings, 3.1 applies them. Annotations simply override; anything
 * else is kept by combining both schemas with allOf, which is what "apply both" means.
 */
function withSiblings(target: unknown, siblings: Json): unknown {
  const keys = Object.keys(siblings);
  if (keys.length === 0) return target;
  if (keys.every((key) => ANNOTATIONS.has(key) || key.startsWith('x-'))) {
    return isRecord(target) ? { ...target, ...siblings } : target;
  }
  return { allOf: [target, siblings] };
}
