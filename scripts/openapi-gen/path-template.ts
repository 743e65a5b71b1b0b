/** The names of the `{params}` in an OpenAPI path template, in order. */
export function pathTemplateParams(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

/**
 * `/v1/profiles/{id}` -> `/v1/profiles/:id`. A colon that is part of a literal segment is doubled, which
 * is how find-my-way (Fastify's router) escapes it.
 */
export function toFastifyUrl(path: string): string {
  return path
    .split(/(\{[^{}]+\})/)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      return param === null ? part.replaceAll(':', '::') : `:${param[1]!}`;
    })
    .join('');
}
