// GET /docs over inject: what it serves, the security headers it loosens (there only), and the
// documents rewritten for the service that serves them.
import { expect, it } from 'vitest';
import { describePglite } from '../database/describe-each-database.ts';
import { createApiDocs } from '../../src/server/api-docs.ts';
import { buildTestApp } from '../support/test-app.ts';

const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";

describePglite('GET /docs', (db) => {
  it('serves the reference and its script from the service, with a CSP loosened for that page only', async () => {
    const app = await buildTestApp(db.pool);
    try {
      const page = await app.inject({ method: 'GET', url: '/docs/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      // Everything comes from this origin: no CDN in the page.
      expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\/[^"' ]*\.js/);
      expect(page.body).toContain('js/scalar.js');

      const script = await app.inject({ method: 'GET', url: '/docs/js/scalar.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toMatch(/javascript/);

      const api = await app.inject({ method: 'GET', url: '/v1/profiles' });
      expect(api.headers['content-security-policy']).toBe(STRICT_CSP);
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.headers['content-security-policy']).toBe(STRICT_CSP);
    } finally {
      await app.close();
    }
  });

  it('serves each document with this service as its server and token URL', async () => {
    const app = await buildTestApp(db.pool);
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/docs/openapi/profile.json',
        headers: { host: '127.0.0.1:41234' },
      });
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.servers.map((server: { url: string }) => server.url)).toEqual([
        'http://127.0.0.1:41234',
      ]);
      expect(document.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe(
        'http://127.0.0.1:41234/oauth/token',
      );
      expect(Object.keys(document.paths)).toContain('/v1/profiles/{id}');

      const oauth = await app.inject({ method: 'GET', url: '/docs/openapi/oauth.json' });
      expect(oauth.json().paths['/oauth/token'].post.operationId).toBe('issueToken');
    } finally {
      await app.close();
    }
  });

  it('lists the token endpoint only when this service issues tokens', async () => {
    const app = await buildTestApp(db.pool, {
      env: {
        AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
        AUTH_ISSUER: 'urn:test:issuer',
        AUTH_AUDIENCE: 'urn:test:api',
        AUTH_SIGNING_KEY: '',
        AUTH_BOOTSTRAP_CLIENT_ID: '',
        AUTH_BOOTSTRAP_CLIENT_SECRET: '',
      },
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/docs/openapi/profile.json' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/docs/openapi/oauth.json' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('is not served when DOCS_ENABLED is false', async () => {
    const app = await buildTestApp(db.pool, { env: { DOCS_ENABLED: 'false' } });
    try {
      for (const url of ['/docs', '/docs/', '/docs/js/scalar.js', '/docs/openapi/profile.json']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    } finally {
      await app.close();
    }
  });
});

it('refuses to list an API with no generated document', () => {
  expect(() => createApiDocs({ served: ['profile', 'ledger'] })).toThrow(
    'API docs: no generated document for API ledger',
  );
});
