// AUTH_BOOTSTRAP_CLIENT_ID / _SECRET: the client is ensured at every start, on PGlite and PostgreSQL.
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { buildTestApp } from '../../test/support/test-app.ts';
import { obtainToken, TEST_SCRYPT } from '../../test/support/test-auth.ts';
import { TEST_PAYLOAD_SIGNING_KEY } from '../../test/support/test-payment.ts';
import { systemClock } from '../platform/clock.ts';
import { uuidV7Generator } from '../platform/ids.ts';
import { createClientAdmin } from './create-auth.ts';
import { SERVICE_SCOPES } from '../service-catalog.ts';

describeEachDatabase('bootstrap client', { isolation: 'test' }, (db) => {
  const ID = 'deploy-bootstrap';
  const FIRST = {
    AUTH_BOOTSTRAP_CLIENT_ID: ID,
    AUTH_BOOTSTRAP_CLIENT_SECRET: 'first-bootstrap-secret-of-32-bytes!!',
  };
  const SECOND = {
    AUTH_BOOTSTRAP_CLIENT_ID: ID,
    AUTH_BOOTSTRAP_CLIENT_SECRET: 'second-bootstrap-secret-of-32-bytes!',
  };
  const apps: FastifyInstance[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await buildTestApp(db.pool, { env });
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    while (apps.length > 0) await apps.pop()!.close();
  });
  const admin = () =>
    createClientAdmin({
      db: db.pool,
      clock: systemClock,
      ids: uuidV7Generator,
      scrypt: TEST_SCRYPT,
      scopes: SERVICE_SCOPES,
    });

  it('is created at start with every scope', async () => {
    const app = await start(FIRST);
    await obtainToken(app, { id: ID, secret: FIRST.AUTH_BOOTSTRAP_CLIENT_SECRET }, SERVICE_SCOPES.join(' '));
    expect((await admin().list()).find((client) => client.id === ID)).toMatchObject({
      name: 'bootstrap',
      scopes: SERVICE_SCOPES,
      revokedAt: null,
    });
  });

  it('takes a new secret at the next start (the old one stops working) and lifts a revocation', async () => {
    await start(FIRST);
    await admin().revoke(ID);
    const app = await start(SECOND);
    await obtainToken(app, { id: ID, secret: SECOND.AUTH_BOOTSTRAP_CLIENT_SECRET });
    await expect(obtainToken(app, { id: ID, secret: FIRST.AUTH_BOOTSTRAP_CLIENT_SECRET })).rejects.toThrow(
      /invalid_client/,
    );
    expect((await admin().list()).filter((client) => client.id === ID)).toHaveLength(1);
  });
});

it('refuses to start with an unreadable AUTH_SIGNING_KEY, naming the variable', async () => {
  const db = { writer: () => ({}), reader: () => ({}) } as unknown as Parameters<typeof createApp>[1]['db'];
  await expect(
    // Configuration refuses such a key with the other variables; a key handed in directly (embedded
    // mode's generated one) is read here.
    createApp(loadConfig({}), {
      db,
      logger: pino({ level: 'silent' }),
      hmacSecret: 'x'.repeat(32),
      signingKey: 'garbage',
      payloadSigningKey: TEST_PAYLOAD_SIGNING_KEY,
    }),
  ).rejects.toThrow('AUTH_SIGNING_KEY is neither a PKCS#8 PEM private key nor a private JWK');
});
