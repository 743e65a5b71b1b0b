/** Every JSON Schema of a generated route table, with where it sits, for compiling them all. */
export interface LocatedSchema {
  readonly where: string;
  readonly schema: object;
}

interface RouteLike {
  readonly operationId: string;
  readonly schema: {
    readonly params?: object;
    readonly querystring?: object;
    readonly headers?: object;
    readonly body?: { readonly content: { readonly [mediaType: string]: { readonly schema: object } } };
    readonly response: { readonly [status: string]: object };
  };
}

function mediaSchemas(where: string, value: object): LocatedSchema[] {
  const content = (value as { content?: Record<string, { schema: object }> }).content;
  if (content === undefined) return [{ where, schema: value }];
  return Object.entries(content).map(([mediaType, media]) => ({
    where: `${where} ${mediaType}`,
    schema: media.schema,
  }));
}

export function routeSchemas(routes: readonly RouteLike[]): LocatedSchema[] {
  return routes.flatMap((route) => {
    const { params, querystring, headers, body, response } = route.schema;
    const at = (part: string) => `${route.operationId} ${part}`;
    return [
      ...(params === undefined ? [] : [{ where: at('params'), schema: params }]),
      ...(querystring === undefined ? [] : [{ where: at('querystring'), schema: querystring }]),
      ...(headers === undefined ? [] : [{ where: at('headers'), schema: headers }]),
      ...(body === undefined ? [] : mediaSchemas(at('body'), body)),
      ...Object.entries(response).flatMap(([status, value]) => mediaSchemas(at(`response ${status}`), value)),
    ];
  });
}
