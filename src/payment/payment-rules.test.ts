// The Payment rules, proven through the use cases on PGlite and real PostgreSQL: ownership,
// revisions, exact money, the status machine, idempotency and at-most-once under concurrency.
import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { testPaymentIds } from '../../test/support/payment-test-ids.ts';
import { TestClock } from '../../test/support/test-clock.ts';
import { ChargeService } from './domain/charge-service.ts';
import type { ChargeRequest } from './domain/charge.ts';
import { LocationService } from './domain/location-service.ts';
import type { PaymentDeps } from './domain/payment-deps.ts';
import {
  ChargeNotFoundError,
  ChargeRevisionNotFoundError,
  IdempotencyKeyReusedError,
  InvalidChargeError,
  InvalidQueryError,
  InvalidRefundError,
  PixNotFoundError,
  RefundNotFoundError,
} from './domain/payment-errors.ts';
import { PixService } from './domain/pix-service.ts';
import { uuidV7Generator } from '../platform/ids.ts';
import { sqlPaymentEventLog } from './persistence/sql-payment-event-log.ts';
import { createSqlPaymentStore } from './persistence/sql-payment-store.ts';

const A = 'client-a';
const B = 'client-b';
const TXID = 'abcdefghijklmnopqrstuvwxyz01';
const REQUEST: ChargeRequest = { originalCents: 12345, key: 'receiver@example.com', expiresInSeconds: 3600 };
const DAY = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
const PAGE = { page: 0, perPage: 100 };

describeEachDatabase('payment rules', { isolation: 'test' }, (db) => {
  let clock: TestClock;
  let charges: ChargeService;
  let pix: PixService;
  let locations: LocationService;
  let spans: string[];
  let counted: Record<string, number>;

  beforeEach(() => {
    spans = [];
    counted = {};
    const counter = (name: string) => ({
      add: (value = 1) => void (counted[name] = (counted[name] ?? 0) + value),
    });
    clock = new TestClock('2026-06-01T12:00:00.000Z');
    const deps: PaymentDeps = {
      db: db.pool,
      storeOn: createSqlPaymentStore,
      eventsOn: sqlPaymentEventLog({ ids: uuidV7Generator, traceContext: () => undefined }),
      clock,
      ids: testPaymentIds(),
      txTimeoutMs: 10_000,
      idempotencyTtlSeconds: 86_400,
      sandbox: true,
      tracer: { inSpan: (name, work) => (spans.push(name), work()) },
      counters: {
        chargesCreated: counter('created'),
        chargesPaid: counter('paid'),
        refunds: counter('refunds'),
      },
    };
    charges = new ChargeService(deps);
    pix = new PixService(deps);
    locations = new LocationService(deps);
  });

  describe('ownership', () => {
    it("hides one client's charges, Pix and refunds from another, and lets both use one txid", async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      await expect(charges.get(B, TXID)).rejects.toBeInstanceOf(ChargeNotFoundError);
      await expect(pix.pay(B, TXID, {})).rejects.toBeInstanceOf(ChargeNotFoundError);
      const paid = await pix.pay(A, TXID, {});
      await expect(pix.get(B, paid.endToEndId)).rejects.toBeInstanceOf(PixNotFoundError);
      await expect(
        pix.refund(B, paid.endToEndId, 'r1', { amountCents: 1, nature: 'ORIGINAL', description: null }),
      ).rejects.toBeInstanceOf(PixNotFoundError);
      await pix.refund(A, paid.endToEndId, 'r1', { amountCents: 1, nature: 'ORIGINAL', description: null });
      await expect(pix.getRefund(B, paid.endToEndId, 'r1')).rejects.toBeInstanceOf(RefundNotFoundError);
      expect((await pix.list(B, DAY, PAGE)).totalItems).toBe(0);

      const theirs = await charges.createWithTxid(B, TXID, { ...REQUEST, originalCents: 1 });
      expect(theirs.txid).toBe(TXID);
      expect((await charges.get(A, TXID)).charge.originalCents).toBe(12345);
      await expect(locations.get(B, (await charges.get(A, TXID)).charge.location!.id)).rejects.toThrow(
        'No location',
      );
    });

    it('refuses a txid the same client already used', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      await expect(charges.createWithTxid(A, TXID, REQUEST)).rejects.toMatchObject({
        violations: [{ field: 'txid' }],
      });
    });
  });

  describe('revisions', () => {
    it('starts at 0, grows by one per change and answers each revision as it was', async () => {
      const created = await charges.createWithTxid(A, TXID, REQUEST);
      expect(created.revision).toBe(0);
      const same = await charges.revise(A, TXID, { originalCents: 12345 });
      expect(same.revision).toBe(0);
      expect((await charges.revise(A, TXID, { originalCents: 500 })).revision).toBe(1);
      expect((await charges.revise(A, TXID, { payerRequest: 'Thanks' })).revision).toBe(2);
      expect((await charges.get(A, TXID, 0)).charge.originalCents).toBe(12345);
      expect((await charges.get(A, TXID, 1)).charge).toMatchObject({
        originalCents: 500,
        payerRequest: null,
      });
      expect((await charges.get(A, TXID)).charge).toMatchObject({ revision: 2, payerRequest: 'Thanks' });
      await expect(charges.get(A, TXID, 3)).rejects.toBeInstanceOf(ChargeRevisionNotFoundError);
    });
  });

  describe('money', () => {
    it('is exact: 0.10 + 0.20 refunds a 0.30 Pix to the cent, and 9999999999.99 round-trips', async () => {
      await charges.createWithTxid(A, TXID, { ...REQUEST, originalCents: 30 });
      const paid = await pix.pay(A, TXID, {});
      await pix.refund(A, paid.endToEndId, 'a', { amountCents: 10, nature: 'ORIGINAL', description: null });
      await pix.refund(A, paid.endToEndId, 'b', { amountCents: 20, nature: 'ORIGINAL', description: null });
      expect((await pix.get(A, paid.endToEndId)).refundedCents).toBe(30);
      await expect(
        pix.refund(A, paid.endToEndId, 'c', { amountCents: 1, nature: 'ORIGINAL', description: null }),
      ).rejects.toBeInstanceOf(InvalidRefundError);

      const big = 'bigbigbigbigbigbigbigbigbig0';
      await charges.createWithTxid(A, big, { ...REQUEST, originalCents: 999_999_999_999 });
      const bigPix = await pix.pay(A, big, {});
      expect((await pix.get(A, bigPix.endToEndId)).amountCents).toBe(999_999_999_999);
    });
  });

  describe('status machine', () => {
    it('concludes a paid charge, which can be neither revised nor paid again', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      await pix.pay(A, TXID, {});
      const view = await charges.get(A, TXID);
      expect(view.status).toBe('CONCLUIDA');
      expect(view.pix).toHaveLength(1);
      await expect(charges.revise(A, TXID, { originalCents: 1 })).rejects.toMatchObject({
        violations: [{ field: 'cob.status', value: 'CONCLUIDA' }],
      });
      await expect(pix.pay(A, TXID, {})).rejects.toBeInstanceOf(InvalidChargeError);
    });

    it('removes a charge by revision, alone, and never pays it after', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      await expect(charges.revise(A, TXID, { remove: true, originalCents: 5 })).rejects.toBeInstanceOf(
        InvalidChargeError,
      );
      expect((await charges.revise(A, TXID, { remove: true })).status).toBe(
        'REMOVIDA_PELO_USUARIO_RECEBEDOR',
      );
      await expect(pix.pay(A, TXID, {})).rejects.toMatchObject({
        violations: [{ value: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' }],
      });
    });

    it('sees an expired charge as REMOVIDA_PELO_PSP in reads and lists, and never pays it', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      clock.advance(3600 * 1000);
      expect((await charges.get(A, TXID)).status).toBe('REMOVIDA_PELO_PSP');
      const listed = await charges.list(A, { ...DAY, status: 'REMOVIDA_PELO_PSP' }, PAGE);
      expect(listed.items.map((item) => item.status)).toEqual(['REMOVIDA_PELO_PSP']);
      expect((await charges.list(A, { ...DAY, status: 'ATIVA' }, PAGE)).totalItems).toBe(0);
      await expect(pix.pay(A, TXID, {})).rejects.toMatchObject({
        violations: [{ value: 'REMOVIDA_PELO_PSP' }],
      });
      await expect(charges.revise(A, TXID, { originalCents: 1 })).rejects.toBeInstanceOf(InvalidChargeError);
    });
  });

  describe('idempotency', () => {
    it('replays the first charge for the same key and body, refuses another body, per client', async () => {
      const key = { key: 'k-1', fingerprint: 'body-1' };
      const first = await charges.create(A, REQUEST, key);
      await charges.revise(A, first.charge.txid, { originalCents: 1 });
      const again = await charges.create(A, REQUEST, key);
      expect(again).toEqual({ charge: first.charge, replayed: true });
      await expect(charges.create(A, REQUEST, { key: 'k-1', fingerprint: 'body-2' })).rejects.toBeInstanceOf(
        IdempotencyKeyReusedError,
      );
      const theirs = await charges.create(B, REQUEST, key);
      expect(theirs.replayed).toBe(false);
    });

    it('forgets a key once its time is up', async () => {
      const key = { key: 'k-2', fingerprint: 'body-1' };
      const first = await charges.create(A, REQUEST, key);
      clock.advance(86_400 * 1000);
      const later = await charges.create(A, REQUEST, key);
      expect(later.replayed).toBe(false);
      expect(later.charge.txid).not.toBe(first.charge.txid);
    });

    it('creates exactly one charge for 20 concurrent duplicates', async () => {
      const key = { key: 'k-3', fingerprint: 'body-1' };
      const results = await Promise.all(Array.from({ length: 20 }, () => charges.create(A, REQUEST, key)));
      expect(new Set(results.map((result) => result.charge.txid)).size).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect((await charges.list(A, DAY, PAGE)).totalItems).toBe(1);
    });
  });

  describe('at most once', () => {
    it('yields exactly one Pix for 20 concurrent payments of one charge', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => pix.pay(A, TXID, {})));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(InvalidChargeError);
      }
      expect((await pix.list(A, DAY, PAGE)).totalItems).toBe(1);
    });

    it('keeps 20 concurrent refunds within the value of the Pix', async () => {
      await charges.createWithTxid(A, TXID, { ...REQUEST, originalCents: 1000 });
      const paid = await pix.pay(A, TXID, {});
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) =>
          pix.refund(A, paid.endToEndId, `r${index}`, {
            amountCents: 150,
            nature: 'ORIGINAL',
            description: null,
          }),
        ),
      );
      const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(accepted).toHaveLength(6);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(InvalidRefundError);
      }
      const after = await pix.get(A, paid.endToEndId);
      expect(after.refundedCents).toBe(900);
      expect(after.refunds.reduce((sum, refund) => sum + refund.amountCents, 0)).toBe(900);
    });

    it('answers a repeated refund with the existing one, and refuses the id with another body', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      const paid = await pix.pay(A, TXID, {});
      const request = { amountCents: 100, nature: 'ORIGINAL' as const, description: 'Sorry' };
      const first = await pix.refund(A, paid.endToEndId, 'r1', request);
      expect(await pix.refund(A, paid.endToEndId, 'r1', request)).toEqual(first);
      await expect(
        pix.refund(A, paid.endToEndId, 'r1', { ...request, amountCents: 101 }),
      ).rejects.toBeInstanceOf(InvalidRefundError);
      expect((await pix.get(A, paid.endToEndId)).refunds).toHaveLength(1);
      expect(first).toMatchObject({ status: 'DEVOLVIDO', settledAt: clock.now() });
    });
  });

  describe('locations', () => {
    it('lets a charge take a free location once, and unlinks it', async () => {
      const location = await locations.create(A);
      await charges.createWithTxid(A, TXID, { ...REQUEST, locationId: location.id });
      expect((await locations.get(A, location.id)).txid).toBe(TXID);
      await expect(
        charges.createWithTxid(A, 'otherotherotherotherother01', { ...REQUEST, locationId: location.id }),
      ).rejects.toMatchObject({ violations: [{ field: 'cob.loc.id' }] });
      await expect(
        charges.createWithTxid(B, TXID, { ...REQUEST, locationId: location.id }),
      ).rejects.toMatchObject({
        violations: [{ field: 'cob.loc.id', reason: 'names no location' }],
      });
      expect((await locations.unlink(A, location.id)).txid).toBeNull();
      const view = await charges.get(A, TXID);
      expect(view.charge.location).toBeNull();
      expect(view.charge.revision).toBe(1);
      expect((await locations.list(A, { ...DAY, txidPresent: false }, PAGE)).totalItems).toBe(1);
    });
  });

  describe('lists', () => {
    it('pages oldest first, filters by debtor and refuses fim before inicio or cpf with cnpj', async () => {
      for (let index = 0; index < 5; index += 1) {
        clock.advance(1000);
        await charges.createWithTxid(A, `${TXID.slice(0, -1)}${index}`, {
          ...REQUEST,
          debtor: index % 2 === 0 ? { kind: 'cpf', document: '12345678909', name: 'Ana' } : undefined,
        });
      }
      const page = await charges.list(A, DAY, { page: 1, perPage: 2 });
      expect(page.totalItems).toBe(5);
      expect(page.items.map((item) => item.charge.txid.at(-1))).toEqual(['2', '3']);
      expect((await charges.list(A, { ...DAY, cpf: '12345678909' }, PAGE)).totalItems).toBe(3);
      expect((await charges.list(A, { ...DAY, locationPresent: false }, PAGE)).totalItems).toBe(0);
      await expect(charges.list(A, { from: DAY.to, to: DAY.from }, PAGE)).rejects.toBeInstanceOf(
        InvalidQueryError,
      );
      await expect(
        charges.list(A, { ...DAY, cpf: '12345678909', cnpj: '12345678000195' }, PAGE),
      ).rejects.toBeInstanceOf(InvalidQueryError);
    });
  });

  describe('telemetry', () => {
    it('spans every use case and counts charges created and paid and refunds, not replays or refusals', async () => {
      await charges.createWithTxid(A, TXID, REQUEST);
      await charges.create(A, REQUEST, { key: 'k', fingerprint: 'f' });
      await charges.create(A, REQUEST, { key: 'k', fingerprint: 'f' });
      const paid = await pix.pay(A, TXID, {});
      await expect(pix.pay(A, TXID, {})).rejects.toBeInstanceOf(InvalidChargeError);
      const refund = { amountCents: 5, nature: 'ORIGINAL' as const, description: null };
      await pix.refund(A, paid.endToEndId, 'r', refund);
      await pix.refund(A, paid.endToEndId, 'r', refund);
      await charges.get(A, TXID);
      expect(counted).toEqual({ created: 2, paid: 1, refunds: 1 });
      expect(new Set(spans)).toEqual(
        new Set([
          'ChargeService.createWithTxid',
          'ChargeService.create',
          'PixService.pay',
          'PixService.refund',
          'ChargeService.get',
        ]),
      );
    });
  });
});
