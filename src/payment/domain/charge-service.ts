// The immediate charge use cases: create (with the client's txid or one of ours, the latter
// idempotent per Idempotency-Key), revise, read (at a revision), list.
import { noopCounter } from '../../platform/counter.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import {
  newCharge,
  reviseCharge,
  statusAt,
  type Charge,
  type ChargeRequest,
  type ChargeRevision,
  type ChargeStatus,
} from './charge.ts';
import { assertValidQuery, type ChargeFilter, type Page, type PageRequest } from './list-query.ts';
import type { Location } from './location.ts';
import { readConfirmed, readerStore, writeIn, type PaymentDeps } from './payment-deps.ts';
import {
  ChargeNotFoundError,
  ChargeRevisionNotFoundError,
  IdempotencyKeyReusedError,
  InvalidChargeError,
} from './payment-errors.ts';
import type { Pix } from './pix.ts';
import type { PaymentStore } from './payment-store.ts';

/** A charge as a client sees it: its status as of now, and the Pix that paid it. */
export interface ChargeView {
  charge: Charge;
  status: ChargeStatus;
  pix: Pix[];
}

/** The result of an idempotent creation: made now, or the first answer replayed. */
export interface CreatedCharge {
  charge: Charge;
  replayed: boolean;
}

export interface IdempotencyKey {
  key: string;
  /** Identifies the request body: the same key with another fingerprint is refused. */
  fingerprint: string;
}

export class ChargeService {
  readonly #deps: PaymentDeps;
  readonly #tracer: Tracer;

  constructor(deps: PaymentDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
  }

  /** PUT /v2/cob/{txid}: a txid already used by this owner is refused. */
  createWithTxid(owner: string, txid: string, request: ChargeRequest): Promise<Charge> {
    return this.#tracer.inSpan('ChargeService.createWithTxid', async () => {
      const charge = await writeIn(this.#deps, owner, (store) =>
        this.#create(store, txid, this.#deps.ids.rowId(), request),
      );
      this.#created();
      return charge;
    });
  }

  /** POST /v2/cob: our txid; with a key, a retry answers the first charge instead of a second. */
  create(owner: string, request: ChargeRequest, idempotency?: IdempotencyKey): Promise<CreatedCharge> {
    return this.#tracer.inSpan('ChargeService.create', async () => {
      const result = await writeIn(this.#deps, owner, async (store): Promise<CreatedCharge> => {
        const id = this.#deps.ids.rowId();
        if (idempotency) {
          const now = this.#deps.clock.now();
          const expiresAt = new Date(now.getTime() + this.#deps.idempotencyTtlSeconds * 1000);
          const claim = await store.claimIdempotencyKey(
            idempotency.key,
            idempotency.fingerprint,
            id,
            now,
            expiresAt,
          );
          if (claim.kind === 'taken') {
            if (claim.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReusedError();
            const first = await store.findFirstRevision(claim.chargeId);
            if (!first)
              throw new Error(`idempotency key names charge ${claim.chargeId}, which has no revision 0`);
            return { charge: first, replayed: true };
          }
        }
        return { charge: await this.#create(store, this.#deps.ids.txid(), id, request), replayed: false };
      });
      if (!result.replayed) this.#created();
      return result;
    });
  }

  revise(owner: string, txid: string, revision: ChargeRevision): Promise<Charge> {
    return this.#tracer.inSpan('ChargeService.revise', () =>
      writeIn(this.#deps, owner, async (store) => {
        const current = await store.findCharge(txid, { forUpdate: true });
        if (!current) throw new ChargeNotFoundError(txid);
        const now = this.#deps.clock.now();
        const location =
          revision.locationId === undefined || revision.locationId === current.location?.id
            ? undefined
            : await usableLocation(store, revision.locationId);
        const next = reviseCharge(current, revision, location, now);
        if (next === current) return current;
        if (location) {
          if (current.location) await store.setLocationTxid(current.location.id, null);
          await store.setLocationTxid(location.id, txid);
          next.location = { ...location, txid };
        }
        await store.updateCharge(next);
        return next;
      }),
    );
  }

  /** The charge now, or as it was at `revision`; read on a reader, a miss confirmed on the writer. */
  get(owner: string, txid: string, revision?: number): Promise<ChargeView> {
    return this.#tracer.inSpan('ChargeService.get', async () => {
      const now = this.#deps.clock.now();
      if (revision !== undefined) {
        const found = await readConfirmed(this.#deps, owner, (store) =>
          store.findChargeRevision(txid, revision),
        );
        if (found) return { charge: found, status: statusAt(found, now), pix: [] };
        const exists = await readConfirmed(this.#deps, owner, (store) => store.findCharge(txid));
        if (!exists) throw new ChargeNotFoundError(txid);
        throw new ChargeRevisionNotFoundError(txid, revision);
      }
      const charge = await readConfirmed(this.#deps, owner, (store) => store.findCharge(txid));
      if (!charge) throw new ChargeNotFoundError(txid);
      const pix = charge.status === 'CONCLUIDA' ? await this.#pixOf(owner, txid) : [];
      return { charge, status: statusAt(charge, now), pix };
    });
  }

  list(owner: string, filter: ChargeFilter, page: PageRequest): Promise<Page<ChargeView>> {
    return this.#tracer.inSpan('ChargeService.list', async () => {
      assertValidQuery('cob', filter);
      const now = this.#deps.clock.now();
      const store = readerStore(this.#deps, owner);
      const found = await store.listCharges(filter, page, now);
      const items = await Promise.all(
        found.items.map(async (charge) => ({
          charge,
          status: statusAt(charge, now),
          pix: charge.status === 'CONCLUIDA' ? await store.findPixOfCharge(charge.txid) : [],
        })),
      );
      return { items, totalItems: found.totalItems };
    });
  }

  async #pixOf(owner: string, txid: string): Promise<Pix[]> {
    const pix = await readerStore(this.#deps, owner).findPixOfCharge(txid);
    if (pix.length > 0) return pix;
    // A concluded charge has its Pix; a reader that lacks it has not caught up yet.
    return this.#deps.storeOn(this.#deps.db.writer(), owner).findPixOfCharge(txid);
  }

  async #create(store: PaymentStore, txid: string, id: string, request: ChargeRequest): Promise<Charge> {
    const now = this.#deps.clock.now();
    const location =
      request.locationId === undefined
        ? await store.insertLocation({
            accessToken: this.#deps.ids.locationToken(),
            kind: 'cob',
            txid: null,
            createdAt: now,
          })
        : await usableLocation(store, request.locationId);
    const charge = newCharge(request, { id, txid }, { ...location, txid }, now);
    await store.insertCharge(charge);
    await store.setLocationTxid(location.id, txid);
    return charge;
  }

  #created(): void {
    (this.#deps.counters?.chargesCreated ?? noopCounter).add();
  }
}

/** A location a charge may take: this owner's, of kind cob, serving no other charge (locked). */
async function usableLocation(store: PaymentStore, id: number): Promise<Location> {
  const location = await store.findLocation(id, { forUpdate: true });
  if (!location) {
    throw new InvalidChargeError(`Location ${id} does not exist.`, [
      { field: 'cob.loc.id', reason: 'names no location', value: String(id) },
    ]);
  }
  if (location.kind !== 'cob') {
    throw new InvalidChargeError(`Location ${id} is of kind ${location.kind}, not cob.`, [
      { field: 'cob.loc.id', reason: 'names a location of kind cobv', value: String(id) },
    ]);
  }
  if (location.txid !== null) {
    throw new InvalidChargeError(`Location ${id} already serves another charge.`, [
      { field: 'cob.loc.id', reason: 'names a location already used by another charge', value: String(id) },
    ]);
  }
  return location;
}
