// GET /docs: the Scalar API reference over the contracts' own bundled documents, one per API the app
// serves, with "try it" pointed at this very service (its origin as the server, its /oauth/token as
// the client-credentials token URL). Everything is served from the package: no CDN, works offline.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { apiDocuments } from '../../api/documents.gen.ts';
import type { HandRegisteredRoutes } from './build-server.ts';

export const DOCS_PATH = '/docs';
const DOCUMENTS_PATH = `${DOCS_PATH}/openapi`;

type Document = Readonly<Record<string, unknown>>;

export interface ApiDocsOptions {
  /** Bundled documents by API name; api/documents.gen.ts's by default. */
  documents?: Readonly<Record<string, Document>>;
  /** The names of the APIs the app serves, in the order the page lists them. */
  served: readonly string[];
}

/** The docs routes, for buildServer's `plugins`; every served name must have a document. */
export function createApiDocs(options: ApiDocsOptions): HandRegisteredRoutes {
  const listed = options.served.map((name) => {
    const document = (options.documents ?? apiDocuments)[name];
    if (document === undefined) throw new Error(`API docs: no generated document for API ${name}`);
    return { name, document, url: `${DOCUMENTS_PATH}/${name}.json` };
  });
  return {
    routes: [
      { method: 'GET', url: DOCS_PATH },
      { method: 'GET', url: `${DOCS_PATH}/` },
      { method: 'GET', url: `${DOCS_PATH}/js/scalar.js` },
      ...listed.map(({ url }) => ({ method: 'GET', url })),
    ],
    async register(app) {
      app.addHook('onSend', async (_request, reply, payload) => {
        reply.header('Content-Security-Policy', docsPolicy(typeof payload === 'string' ? payload : ''));
        return payload;
      });
      for (const { document, url } of listed) {
        app.get(url, async (request) => forThisService(document, originOf(request)));
      }
      // Imported here so a service with docs off never loads the reference's bundle (about 4 MB).
      const { default: apiReference } = await import('@scalar/fastify-api-reference');
      await app.register(apiReference, {
        routePrefix: DOCS_PATH,
        logLevel: 'warn',
        configuration: {
          pageTitle: 'API reference',
          // An empty icon: otherwise the browser asks for /favicon.ico, a 404 in its console.
          favicon: 'data:,',
          sources: listed.map(({ name, document, url }) => ({
            title: titleOf(document, name),
            slug: name,
            url,
          })),
          // Nothing leaves the machine: no telemetry, no external fonts, no proxy.
          telemetry: false,
          withDefaultFonts: false,
          hideClientButton: true,
          persistAuth: false,
          showDeveloperTools: 'never',
          mcp: { disabled: true },
        },
      });
    },
  };
}

/**
 * The headers every response gets, loosened for this page only: its own scripts (the bundle, and
 * the inline start-up script by hash), the styles it injects, images from data: URLs, and requests
 * to this origin. Still no framing, no plugins and no other origin.
 */
function docsPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function titleOf(document: Document, fallback: string): string {
  const info = document['info'] as { title?: unknown } | undefined;
  return typeof info?.title === 'string' ? info.title : fallback;
}

/**
 * The document as this service serves it: each server's path under the request's origin (the
 * contract names a development host), each OAuth token URL absolute on that origin.
 */
function forThisService(document: Document, origin: string): Document {
  const copy = structuredClone(document) as Record<string, unknown> & {
    servers?: { url: string }[];
    components?: { securitySchemes?: Record<string, { flows?: Record<string, { tokenUrl?: string }> }> };
  };
  const servers = copy.servers?.length ? copy.servers : [{ url: '/' }];
  copy.servers = servers.map((server) => ({ ...server, url: onOrigin(server.url, origin) }));
  for (const scheme of Object.values(copy.components?.securitySchemes ?? {})) {
    for (const flow of Object.values(scheme.flows ?? {})) {
      if (flow.tokenUrl !== undefined) flow.tokenUrl = onOrigin(flow.tokenUrl, origin);
    }
  }
  return copy;
}

function onOrigin(url: string, origin: string): string {
  const path = new URL(url, 'http://placeholder').pathname.replace(/\/$/, '');
  return `${origin}${path}`;
}
