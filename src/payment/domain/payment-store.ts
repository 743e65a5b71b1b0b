// The persistence port of the Payment domain. One store is built per Querier and owner, so a use
// case in a transaction gets a store bound to that transaction, seeing only the owner's records.
import type { Charge } from './charge.ts';
import type { ChargeFilter, LocationFilter, Page, PageRequest, PixFilter } from './list-query.ts';
import type { Location, NewLocation } from './location.ts';
import type { Pix, Refund } from './pix.ts';

/** `forUpdate` locks the row until the transaction ends (SELECT ... FOR UPDATE). */
export interface LockOption {
  forUpdate?: boolean;
}

export type IdempotencyClaim = { kind: 'claimed' } | { kind: 'taken'; fingerprint: string; chargeId: string };

export interface PaymentStore {
  /** Throws InvalidChargeError when the owner already has a charge with this txid. */
  insertCharge(charge: Charge): Promise<void>;
  /** Writes the charge's new state and keeps it as its revision. */
  updateCharge(charge: Charge): Promise<void>;
  findCharge(txid: string, options?: LockOption): Promise<Charge | undefined>;
  /** The charge as it was at `revision`. */
  findChargeRevision(txid: string, revision: number): Promise<Charge | undefined>;
  /** Revision 0 of the charge with this row id. */
  findFirstRevision(chargeId: string): Promise<Charge | undefined>;
  /** Oldest first; the status filter sees expiry as of `now`. */
  listCharges(filter: ChargeFilter, page: PageRequest, now: Date): Promise<Page<Charge>>;

  insertLocation(location: NewLocation): Promise<Location>;
  findLocation(id: number, options?: LockOption): Promise<Location | undefined>;
  setLocationTxid(id: number, txid: string | null): Promise<void>;
  listLocations(filter: LocationFilter, page: PageRequest): Promise<Page<Location>>;

  /** Throws when the charge already has a Pix (a charge is paid at most once). */
  insertPix(pix: Pix, chargeId: string): Promise<void>;
  findPix(endToEndId: string, options?: LockOption): Promise<Pix | undefined>;
  findPixOfCharge(txid: string): Promise<Pix[]>;
  listPix(filter: PixFilter, page: PageRequest): Promise<Page<Pix>>;
  /** Adds the refund and raises the Pix's refunded sum by its amount. */
  insertRefund(endToEndId: string, refund: Refund): Promise<void>;
  findRefund(endToEndId: string, id: string): Promise<Refund | undefined>;

  /**
   * Claims an Idempotency-Key for a charge about to be created, or reports who holds it. A claim
   * past `expiresAt` is given up first. A concurrent claim of the same key waits for this
   * transaction to end, then sees it.
   */
  claimIdempotencyKey(
    key: string,
    fingerprint: string,
    chargeId: string,
    now: Date,
    expiresAt: Date,
  ): Promise<IdempotencyClaim>;
}

/** The one store that is not bound to an owner: the open payload route finds a location by token. */
export interface PayloadLookup {
  findChargeByLocationToken(token: string): Promise<Charge | undefined>;
}
