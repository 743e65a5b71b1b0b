// The webhook rules, proven through the use cases on PGlite and real PostgreSQL: the target is
// checked before anything is written, changes run in bounded transactions on the writer, reads go
// to a reader and confirm a miss on the writer, one row per client and key whatever the races.
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { recordingPool, type RecordingPool } from '../../test/support/recording-pool.ts';
import { TestClock } from '../../test/support/test-clock.ts';
import type { Querier } from '../db/querier.ts';
import { InvalidQueryError, InvalidWebhookError, WebhookNotFoundError } from './domain/payment-errors.ts';
import { WebhookService } from './domain/webhook-service.ts';
import type { WebhookTargetVerdict } from './domain/webhook-target.ts';
import { createSqlWebhookStore } from './persistence/sql-webhook-store.ts';

const A = 'client-a';
const B = 'client-b';
const PAGE = { page: 0, perPage: 100 };
const KEY = 'receiver@example.com';
const KEYS = ['+5561900000001', '40a0932d-1918-4eee-845d-35a2da1690dc', '12345678000195'];
const TX_TIMEOUT_MS = 7_000;

describeEachDatabase('webhook rules', { isolation: 'test' }, (db) => {
  let clock: TestClock;
  let pool: RecordingPool;
  let checked: string[];
  let verdict: WebhookTargetVerdict;
  let webhooks: WebhookService;
  let spans: string[];

  beforeEach(() => {
    clock = new TestClock('2026-06-01T12:00:00.000Z');
    pool = recordingPool(db.pool);
    checked = [];
    spans = [];
    verdict = { ok: true };
    webhooks = new WebhookService({
      db: pool,
      storeOn: createSqlWebhookStore,
      checkTarget: (url) => {
        checked.push(url);
        return Promise.resolve(verdict);
      },
      clock,
      txTimeoutMs: TX_TIMEOUT_MS,
      tracer: { inSpan: (name, work) => (spans.push(name), work()) },
    });
  });

  it('checks the target before writing, and writes nothing when it is refused', async () => {
    verdict = { ok: false, reason: 'is 10.0.0.1, not a public address' };
    const refused = await webhooks.configure(A, KEY, 'https://10.0.0.1/').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidWebhookError);
    expect((refused as InvalidWebhookError).violations).toEqual([
      { field: 'webhook.webhookUrl', reason: 'is 10.0.0.1, not a public address' },
    ]);
    expect(checked).toEqual(['https://10.0.0.1/']);
    expect(pool.transactions).toEqual([]);
    expect(pool.statements).toEqual([]);
    await expect(webhooks.get(A, KEY)).rejects.toBeInstanceOf(WebhookNotFoundError);
  });

  it('refuses a blank key without asking about the target', async () => {
    await expect(webhooks.configure(A, ' ', 'https://pix.example.com/')).rejects.toBeInstanceOf(
      InvalidWebhookError,
    );
    expect(checked).toEqual([]);
  });

  it('changes in bounded transactions on the writer and reads from a reader, confirming a miss on the writer', async () => {
    await webhooks.configure(A, KEY, 'https://pix.example.com/');
    await webhooks.remove(A, KEY);
    expect(pool.transactions).toEqual([
      { door: 'withTimeoutTx', timeoutMs: TX_TIMEOUT_MS },
      { door: 'withTimeoutTx', timeoutMs: TX_TIMEOUT_MS },
    ]);
    expect(pool.statements.map((statement) => statement.door)).toEqual(['withTimeoutTx', 'withTimeoutTx']);

    pool.clear();
    await webhooks.configure(A, KEY, 'https://pix.example.com/');
    pool.clear();
    await webhooks.get(A, KEY);
    await webhooks.list(A, {}, PAGE);
    expect(pool.statements.map((statement) => statement.door)).toEqual(['reader', 'reader']);

    pool.clear();
    await expect(webhooks.get(A, 'missing')).rejects.toBeInstanceOf(WebhookNotFoundError);
    expect(pool.statements.map((statement) => statement.door)).toEqual(['reader', 'writer']);
  });

  it('finds on the writer what a lagging reader does not have yet', async () => {
    await webhooks.configure(A, KEY, 'https://pix.example.com/');
    // A replica that has not replayed the insert: it answers every query with no rows.
    const empty: Querier = {
      query: <Row>() => Promise.resolve({ rows: [] as Row[], rowCount: 0 }),
    };
    const lagging = new WebhookService({
      db: { ...pool, reader: () => empty },
      storeOn: createSqlWebhookStore,
      checkTarget: () => Promise.resolve({ ok: true }),
      clock,
      txTimeoutMs: TX_TIMEOUT_MS,
    });
    expect(await lagging.get(A, KEY)).toMatchObject({ key: KEY, url: 'https://pix.example.com/' });
  });

  it('keeps one webhook per client and key: the last of 20 concurrent configurations stands', async () => {
    const urls = Array.from({ length: 20 }, (_, index) => `https://pix.example.com/${index}`);
    await Promise.all(urls.map((url) => webhooks.configure(A, KEY, url)));
    const listed = await webhooks.list(A, {}, PAGE);
    expect(listed.totalItems).toBe(1);
    expect(urls).toContain(listed.items[0]!.url);
  });

  it('keeps each client to its own webhooks', async () => {
    await webhooks.configure(A, KEY, 'https://pix.example.com/a');
    await expect(webhooks.get(B, KEY)).rejects.toBeInstanceOf(WebhookNotFoundError);
    await expect(webhooks.remove(B, KEY)).rejects.toBeInstanceOf(WebhookNotFoundError);
    expect((await webhooks.list(B, {}, PAGE)).totalItems).toBe(0);
    await webhooks.configure(B, KEY, 'https://pix.example.com/b');
    expect((await webhooks.get(A, KEY)).url).toBe('https://pix.example.com/a');
    expect((await webhooks.get(B, KEY)).url).toBe('https://pix.example.com/b');
  });

  it('lists within the bounds given, and refuses fim before inicio', async () => {
    for (const key of KEYS) {
      await webhooks.configure(A, key, 'https://pix.example.com/');
      clock.advance(1_000);
    }
    const from = new Date('2026-06-01T12:00:01.000Z');
    const to = new Date('2026-06-01T12:00:01.000Z');
    expect((await webhooks.list(A, { from }, PAGE)).items.map((each) => each.key)).toEqual(KEYS.slice(1));
    expect((await webhooks.list(A, { to }, PAGE)).items.map((each) => each.key)).toEqual(KEYS.slice(0, 2));
    expect((await webhooks.list(A, { from, to }, PAGE)).items.map((each) => each.key)).toEqual([KEYS[1]]);
    await expect(webhooks.list(A, { from: to, to: new Date(0) }, PAGE)).rejects.toBeInstanceOf(
      InvalidQueryError,
    );
  });

  it('spans every use case', async () => {
    await webhooks.configure(A, KEY, 'https://pix.example.com/');
    await webhooks.get(A, KEY);
    await webhooks.list(A, {}, PAGE);
    await webhooks.remove(A, KEY);
    expect(spans).toEqual([
      'WebhookService.configure',
      'WebhookService.get',
      'WebhookService.list',
      'WebhookService.remove',
    ]);
  });
});
