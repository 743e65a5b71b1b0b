// The baseline: the least a server can do for GET /v1/profiles/{id} and the first page of
// GET /v1/profiles?limit=20 — node:http and a pg pool, no framework, no authentication, validation,
// limits, telemetry or logs — running the very SQL the service runs and answering the same JSON
// (data, meta, ETag, a signed nextCursor). The service is measured against it.
//
// Environment: PORT, DATABASE_URL, OWNER_ID (whose profiles it reads), HMAC_SECRET.
import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';

const port = Number(process.env.PORT);
const ownerId = process.env.OWNER_ID ?? '';
const hmacKey = Buffer.from(process.env.HMAC_SECRET ?? '', 'utf8');
// The service's pool size (POSTGRES_POOL_MAX's default).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// An idle connection the server closes is replaced on the next checkout; unheard, it would crash us.
pool.on('error', () => undefined);

const COLUMNS = 'id, name, email, age, version, created_at, updated_at';
const BY_ID = `SELECT ${COLUMNS} FROM profiles WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`;
const NEWEST = `SELECT ${COLUMNS} FROM profiles WHERE owner_id = $2 AND deleted_at IS NULL
              ORDER BY created_at DESC, id DESC LIMIT $1`;
const CURSOR_TTL_SECONDS = 3600;

interface Row {
  id: string;
  name: string;
  email: string;
  age: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function dto(row: Row) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    age: row.age,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function cursorAfter(row: Row): string {
  const envelope = {
    k: 'profiles',
    e: Math.floor(Date.now() / 1000) + CURSOR_TTL_SECONDS,
    p: { createdAt: row.created_at.toISOString(), id: row.id },
  };
  const payload = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
  return `${payload}.${createHmac('sha256', hmacKey).update(payload, 'utf8').digest('base64url')}`;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  const answer = async () => {
    if (url === '/readyz') {
      await pool.query('SELECT 1');
      return send(response, 200, { status: 'ok' });
    }
    if (url.startsWith('/v1/profiles/')) {
      const { rows } = await pool.query<Row>(BY_ID, [url.slice('/v1/profiles/'.length), ownerId]);
      const row = rows[0];
      if (!row) return send(response, 404, { title: 'Not Found' });
      return send(
        response,
        200,
        { data: dto(row), meta: { requestId: '', traceId: '' } },
        {
          etag: `"${row.version}"`,
        },
      );
    }
    if (url === '/v1/profiles?limit=20') {
      const { rows } = await pool.query<Row>(NEWEST, [21, ownerId]);
      const items = rows.slice(0, 20);
      const nextCursor = rows.length > 20 ? cursorAfter(items.at(-1)!) : null;
      const etags = Object.fromEntries(items.map((row) => [row.id, `"${row.version}"`]));
      return send(
        response,
        200,
        {
          data: items.map(dto),
          meta: {
            requestId: '',
            traceId: '',
            mode: 'cursor',
            limit: 20,
            nextCursor,
            prevCursor: null,
            etags,
          },
        },
        nextCursor ? { link: `</v1/profiles?limit=20&after=${nextCursor}>; rel="next"` } : {},
      );
    }
    return send(response, 404, { title: 'Not Found' });
  };
  answer().catch((error: unknown) => send(response, 500, { title: String(error) }));
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end();
});
