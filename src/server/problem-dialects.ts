// Which API's problem dialect answers a request: the matched route's (set by registerApi), else the
// dialect of the API whose base path is the longest prefix of the request path, so a 404 or 405 under
// an API's base path speaks that API's dialect; the RFC 9457 default elsewhere.
import type { FastifyRequest } from 'fastify';
import { rfc9457ProblemDialect, type ProblemDialect } from '../platform/problem-dialect.ts';

interface BasePathDialect {
  basePath: string;
  dialect: ProblemDialect;
  api: string;
}

export class ProblemDialects {
  #entries: BasePathDialect[] = [];

  /** `basePath` such as `/v2`: that path and everything below it. */
  add(api: string, basePath: string, dialect: ProblemDialect): void {
    const normalized = basePath.replace(/\/+$/, '');
    if (!normalized.startsWith('/')) {
      throw new Error(`API ${api}: problem base path ${basePath} must start with /`);
    }
    const clash = this.#entries.find((entry) => entry.basePath === normalized && entry.dialect !== dialect);
    if (clash) {
      throw new Error(
        `APIs ${clash.api} and ${api} claim base path ${normalized} with different problem dialects`,
      );
    }
    this.#entries.push({ basePath: normalized, dialect, api });
    this.#entries.sort((a, b) => b.basePath.length - a.basePath.length);
  }

  forPath(path: string): ProblemDialect {
    const entry = this.#entries.find(({ basePath }) => path === basePath || path.startsWith(`${basePath}/`));
    return entry?.dialect ?? rfc9457ProblemDialect;
  }
}

/** The dialect for a request, including requests Fastify answers before or without routing. */
export function problemDialectFor(request: FastifyRequest): ProblemDialect {
  const routed = request.routeOptions?.config?.problemDialect;
  if (routed) return routed;
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return request.server?.problemDialects?.forPath(path) ?? rfc9457ProblemDialect;
}
