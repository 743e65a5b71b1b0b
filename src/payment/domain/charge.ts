// The immediate charge (cob) aggregate: its invariants, its status machine and every way it may
// change. Pure functions; time, ids and locations come from the caller.
//
// Status: ATIVA -> CONCLUIDA (paid) | REMOVIDA_PELO_USUARIO_RECEBEDOR (revision) | REMOVIDA_PELO_PSP
// (expired: criacao + expiracao has passed). Expiry is not written: it is derived whenever the
// charge is seen, so a read, a list and a payment all agree at every instant.
import type { Location } from './location.ts';
import { isValidAmount } from './money-limits.ts';
import { InvalidChargeError, type Violation } from './payment-errors.ts';

export type ChargeStatus = 'ATIVA' | 'CONCLUIDA' | 'REMOVIDA_PELO_USUARIO_RECEBEDOR' | 'REMOVIDA_PELO_PSP';
/** What is stored; REMOVIDA_PELO_PSP is never stored, only derived. */
export type StoredChargeStatus = Exclude<ChargeStatus, 'REMOVIDA_PELO_PSP'>;

export type Debtor = { kind: 'cpf' | 'cnpj'; document: string; name: string };

export interface AdditionalInfo {
  name: string;
  value: string;
}

export interface Charge {
  id: string;
  txid: string;
  /** 0 at creation, one more with every change. */
  revision: number;
  status: StoredChargeStatus;
  createdAt: Date;
  expiresInSeconds: number;
  originalCents: number;
  /** modalidadeAlteracao: whether the payer may change the amount. */
  amountModifiable: boolean;
  key: string;
  debtor: Debtor | null;
  payerRequest: string | null;
  additionalInfo: AdditionalInfo[];
  location: Location | null;
  updatedAt: Date;
}

/** What a client sends to create a charge (PUT or POST /v2/cob). */
export interface ChargeRequest {
  expiresInSeconds?: number | undefined;
  originalCents: number;
  amountModifiable?: boolean | undefined;
  key: string;
  debtor?: Debtor | undefined;
  payerRequest?: string | undefined;
  additionalInfo?: AdditionalInfo[] | undefined;
  /** An existing location to use; a new one is made when absent. */
  locationId?: number | undefined;
}

/** A PATCH: absent fields are untouched; `remove` may not come with other changes. */
export interface ChargeRevision {
  expiresInSeconds?: number | undefined;
  originalCents?: number | undefined;
  amountModifiable?: boolean | undefined;
  key?: string | undefined;
  debtor?: Debtor | undefined;
  payerRequest?: string | undefined;
  additionalInfo?: AdditionalInfo[] | undefined;
  locationId?: number | undefined;
  remove?: boolean | undefined;
}

export const DEFAULT_EXPIRATION_SECONDS = 86_400;

export function newCharge(
  request: ChargeRequest,
  identity: { id: string; txid: string },
  location: Location,
  now: Date,
): Charge {
  const charge: Charge = {
    id: identity.id,
    txid: identity.txid,
    revision: 0,
    status: 'ATIVA',
    createdAt: now,
    expiresInSeconds: request.expiresInSeconds ?? DEFAULT_EXPIRATION_SECONDS,
    originalCents: request.originalCents,
    amountModifiable: request.amountModifiable ?? false,
    key: request.key,
    debtor: request.debtor ?? null,
    payerRequest: request.payerRequest ?? null,
    additionalInfo: request.additionalInfo ?? [],
    location,
    updatedAt: now,
  };
  assertValid(charge);
  return charge;
}

/** The status as of `now`: an active charge past its expiry is REMOVIDA_PELO_PSP. */
export function statusAt(charge: Charge, now: Date): ChargeStatus {
  if (charge.status !== 'ATIVA') return charge.status;
  const expiresAt = charge.createdAt.getTime() + charge.expiresInSeconds * 1000;
  return now.getTime() >= expiresAt ? 'REMOVIDA_PELO_PSP' : 'ATIVA';
}

/** Throws unless the charge may still change or be paid: only an active, unexpired charge may. */
export function assertActive(charge: Charge, now: Date): void {
  const status = statusAt(charge, now);
  if (status === 'ATIVA') return;
  throw new InvalidChargeError(
    `Charge ${charge.txid} is ${status}; only an active charge may change or be paid.`,
    [{ field: 'cob.status', reason: 'is not ATIVA', value: status }],
  );
}

/**
 * The revised charge, or the same object when nothing changed (the revision then stays).
 * `location` is the location a `locationId` in the revision names, already checked by the caller.
 */
export function reviseCharge(
  current: Charge,
  revision: ChargeRevision,
  location: Location | null | undefined,
  now: Date,
): Charge {
  assertActive(current, now);
  const { remove, ...changes } = revision;
  const changing = Object.values(changes).some((value) => value !== undefined);
  if (remove) {
    if (changing) {
      throw new InvalidChargeError('A charge is removed on its own, without other changes.', [
        {
          field: 'cob.status',
          reason: 'may not come with other changes',
          value: 'REMOVIDA_PELO_USUARIO_RECEBEDOR',
        },
      ]);
    }
    return {
      ...current,
      status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR',
      revision: current.revision + 1,
      updatedAt: now,
    };
  }
  const next: Charge = {
    ...current,
    expiresInSeconds: changes.expiresInSeconds ?? current.expiresInSeconds,
    originalCents: changes.originalCents ?? current.originalCents,
    amountModifiable: changes.amountModifiable ?? current.amountModifiable,
    key: changes.key ?? current.key,
    debtor: changes.debtor ?? current.debtor,
    payerRequest: changes.payerRequest ?? current.payerRequest,
    additionalInfo: changes.additionalInfo ?? current.additionalInfo,
    location: location === undefined ? current.location : location,
  };
  assertValid(next);
  if (sameContent(current, next)) return current;
  return { ...next, revision: current.revision + 1, updatedAt: now };
}

/** The charge once paid. */
export function concludeCharge(current: Charge, now: Date): Charge {
  assertActive(current, now);
  return { ...current, status: 'CONCLUIDA', revision: current.revision + 1, updatedAt: now };
}

/** The charge once its location is taken away (DELETE /v2/loc/{id}/txid). */
export function withoutLocation(current: Charge, now: Date): Charge {
  return { ...current, location: null, revision: current.revision + 1, updatedAt: now };
}

function sameContent(a: Charge, b: Charge): boolean {
  const content = (charge: Charge) =>
    JSON.stringify([
      charge.expiresInSeconds,
      charge.originalCents,
      charge.amountModifiable,
      charge.key,
      charge.debtor,
      charge.payerRequest,
      charge.additionalInfo,
      charge.location?.id ?? null,
    ]);
  return content(a) === content(b);
}

function assertValid(charge: Charge): void {
  const violations: Violation[] = [];
  if (!isValidAmount(charge.originalCents)) {
    violations.push({ field: 'cob.valor.original', reason: 'must be more than zero' });
  }
  if (!Number.isSafeInteger(charge.expiresInSeconds) || charge.expiresInSeconds <= 0) {
    violations.push({ field: 'cob.calendario.expiracao', reason: 'must be more than zero' });
  }
  if (charge.key.trim().length === 0) violations.push({ field: 'cob.chave', reason: 'must not be blank' });
  if (violations.length > 0) {
    throw new InvalidChargeError('The charge does not respect the specification.', violations);
  }
}
