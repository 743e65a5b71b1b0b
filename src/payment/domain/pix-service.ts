// The received Pix use cases: pay a charge (the sandbox's stand-in for the Pix network), read and
// list Pix, and refund them. Payments and refunds lock the row they change, so concurrent requests
// queue: a charge is paid once, and the refunds of a Pix never pass its value.
import { noopCounter } from '../../platform/counter.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import { assertActive, concludeCharge } from './charge.ts';
import { assertValidQuery, type Page, type PageRequest, type PixFilter } from './list-query.ts';
import { isValidAmount } from './money-limits.ts';
import { readConfirmed, readerStore, writeIn, type PaymentDeps } from './payment-deps.ts';
import {
  ChargeNotFoundError,
  InvalidChargeError,
  PixNotFoundError,
  RefundNotFoundError,
} from './payment-errors.ts';
import {
  assertSameRequest,
  isFinal,
  newRefund,
  type Payer,
  type Pix,
  type Refund,
  type RefundRequest,
} from './pix.ts';

export interface PaymentRequest {
  /** The charge's original value when absent. */
  amountCents?: number | undefined;
  payer?: Payer | undefined;
  payerInfo?: string | undefined;
}

export class PixService {
  readonly #deps: PaymentDeps;
  readonly #tracer: Tracer;

  constructor(deps: PaymentDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
  }

  /** An incoming Pix for the charge: creates the Pix and concludes the charge, at most once. */
  pay(owner: string, txid: string, request: PaymentRequest): Promise<Pix> {
    return this.#tracer.inSpan('PixService.pay', async () => {
      const pix = await writeIn(this.#deps, owner, async (store, events) => {
        const charge = await store.findCharge(txid, { forUpdate: true });
        if (!charge) throw new ChargeNotFoundError(txid);
        const now = this.#deps.clock.now();
        assertActive(charge, now);
        const amountCents = request.amountCents ?? charge.originalCents;
        if (
          !isValidAmount(amountCents) ||
          (!charge.amountModifiable && amountCents !== charge.originalCents)
        ) {
          throw new InvalidChargeError('The amount paid must be the charge\u2019s original value.', [
            { field: 'pagamento.valor', reason: 'differs from the original value of the charge' },
          ]);
        }
        const received: Pix = {
          endToEndId: this.#deps.ids.endToEndId(now),
          txid,
          amountCents,
          key: charge.key,
          payer: request.payer ?? null,
          payerInfo: request.payerInfo ?? null,
          settledAt: now,
          refundedCents: 0,
          refunds: [],
        };
        await store.insertPix(received, charge.id);
        await store.updateCharge(concludeCharge(charge, now));
        await events.append({ type: 'pix.received', pix: received }, now);
        return received;
      });
      (this.#deps.counters?.chargesPaid ?? noopCounter).add();
      return pix;
    });
  }

  get(owner: string, endToEndId: string): Promise<Pix> {
    return this.#tracer.inSpan('PixService.get', async () => {
      const pix = await readConfirmed(this.#deps, owner, (store) => store.findPix(endToEndId));
      if (!pix) throw new PixNotFoundError(endToEndId);
      return pix;
    });
  }

  list(owner: string, filter: PixFilter, page: PageRequest): Promise<Page<Pix>> {
    return this.#tracer.inSpan('PixService.list', () => {
      assertValidQuery('pix', filter);
      return readerStore(this.#deps, owner).listPix(filter, page);
    });
  }

  /** A new refund, or the existing one when the very same request comes again. */
  refund(owner: string, endToEndId: string, id: string, request: RefundRequest): Promise<Refund> {
    return this.#tracer.inSpan('PixService.refund', async () => {
      const result = await writeIn(this.#deps, owner, async (store, events) => {
        const pix = await store.findPix(endToEndId, { forUpdate: true });
        if (!pix) throw new PixNotFoundError(endToEndId);
        const existing = pix.refunds.find((refund) => refund.id === id);
        if (existing) {
          assertSameRequest(existing, request);
          return { refund: existing, created: false };
        }
        const now = this.#deps.clock.now();
        const refund = newRefund(pix, id, request, this.#deps.ids.returnId(now), now, this.#deps.sandbox);
        await store.insertRefund(endToEndId, refund);
        if (isFinal(refund.status)) {
          const after: Pix = {
            ...pix,
            refundedCents: pix.refundedCents + refund.amountCents,
            refunds: [...pix.refunds, refund],
          };
          await events.append({ type: 'refund.settled', pix: after, refundId: refund.id }, now);
        }
        return { refund, created: true };
      });
      if (result.created) (this.#deps.counters?.refunds ?? noopCounter).add();
      return result.refund;
    });
  }

  getRefund(owner: string, endToEndId: string, id: string): Promise<Refund> {
    return this.#tracer.inSpan('PixService.getRefund', async () => {
      const refund = await readConfirmed(this.#deps, owner, (store) => store.findRefund(endToEndId, id));
      if (!refund) throw new RefundNotFoundError(endToEndId, id);
      return refund;
    });
  }
}
