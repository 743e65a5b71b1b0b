// Knows every method registered for every path template, so an unknown method on a known path is a
// 405 with an Allow header rather than a 404. Paths match exactly as Fastify routes them: with a
// trailing slash a path names no resource (404), never a 405 listing methods that would not work.

interface PathEntry {
  pattern: RegExp;
  methods: Set<string>;
}

export class RouteMatcher {
  readonly #entries = new Map<string, PathEntry>();

  /** `template` in OpenAPI form (`/v1/profiles/{id}`) or Fastify form (`/v1/profiles/:id`). */
  add(method: string, template: string): void {
    let entry = this.#entries.get(template);
    if (!entry) {
      entry = { pattern: compile(template), methods: new Set() };
      this.#entries.set(template, entry);
    }
    entry.methods.add(method.toUpperCase());
    if (method.toUpperCase() === 'GET') entry.methods.add('HEAD');
  }

  /** Methods allowed on `path`, sorted; empty when no template matches. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const entry of this.#entries.values()) {
      if (entry.pattern.test(path)) for (const method of entry.methods) methods.add(method);
    }
    return [...methods].sort();
  }
}

function compile(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) || segment.startsWith(':')
        ? '[^/]+'
        : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}
