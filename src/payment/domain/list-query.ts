// The period, the filters and the page every Pix API list takes, and the rules they share.
import { InvalidQueryError, type PaymentResource, type Violation } from './payment-errors.ts';

export interface Period {
  from: Date;
  to: Date;
}

/** A page, numbered from 0 as the Pix API numbers them. */
export interface PageRequest {
  page: number;
  perPage: number;
}

export interface Page<T> {
  items: T[];
  totalItems: number;
}

export interface PersonFilter {
  cpf?: string | undefined;
  cnpj?: string | undefined;
}

export interface ChargeFilter extends Period, PersonFilter {
  locationPresent?: boolean | undefined;
  status?: string | undefined;
}

export interface PixFilter extends Period, PersonFilter {
  txid?: string | undefined;
  txidPresent?: boolean | undefined;
  refundPresent?: boolean | undefined;
}

export interface LocationFilter extends Period {
  txidPresent?: boolean | undefined;
  kind?: string | undefined;
}

/** Throws the resource's ConsultaInvalida when `fim` is before `inicio` or both cpf and cnpj are given. */
export function assertValidQuery(resource: PaymentResource, filter: Period & PersonFilter): void {
  const violations: Violation[] = [];
  if (filter.to.getTime() < filter.from.getTime()) {
    violations.push({ field: 'fim', reason: 'is before inicio', value: filter.to.toISOString() });
  }
  if (filter.cpf !== undefined && filter.cnpj !== undefined) {
    violations.push({ field: 'cpf', reason: 'may not be given together with cnpj' });
  }
  if (violations.length > 0) throw new InvalidQueryError(resource, violations);
}

/** Pages in all, as the Pix API counts them: at least one, even for an empty list. */
export function pageCount(totalItems: number, perPage: number): number {
  return Math.max(1, Math.ceil(totalItems / perPage));
}
