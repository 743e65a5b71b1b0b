// A received Pix and its refunds. The refunds of a Pix never total more than its amount; a refund
// id is unique per Pix, and asking again with the same request answers the same refund.
import { isValidAmount } from './money-limits.ts';
import { InvalidRefundError } from './payment-errors.ts';

export interface Payer {
  kind: 'cpf' | 'cnpj';
  document: string;
  name: string;
}

export interface Pix {
  endToEndId: string;
  /** The charge it paid. */
  txid: string | null;
  amountCents: number;
  key: string | null;
  payer: Payer | null;
  payerInfo: string | null;
  settledAt: Date;
  /** The sum of its refunds. */
  refundedCents: number;
  refunds: Refund[];
}

export type RefundNature = 'ORIGINAL' | 'RETIRADA';
export type RefundStatus = 'EM_PROCESSAMENTO' | 'DEVOLVIDO' | 'NAO_REALIZADO';

export interface RefundRequest {
  amountCents: number;
  nature: RefundNature;
  description: string | null;
}

export interface Refund extends RefundRequest {
  id: string;
  /** The return identification (D + ISPB + yyyyMMddHHmm + 11 alphanumerics). */
  returnId: string;
  status: RefundStatus;
  requestedAt: Date;
  settledAt: Date | null;
}

/** DEVOLVIDO and NAO_REALIZADO end a refund; its receiver is told of either (the webhook). */
export function isFinal(status: RefundStatus): boolean {
  return status === 'DEVOLVIDO' || status === 'NAO_REALIZADO';
}

/** A new refund of `pix`: within what is left of its amount. */
export function newRefund(
  pix: Pix,
  id: string,
  request: RefundRequest,
  returnId: string,
  now: Date,
  settlesAtOnce: boolean,
): Refund {
  if (!isValidAmount(request.amountCents)) {
    throw new InvalidRefundError('The refund amount must be more than zero.', [
      { field: 'devolucao.valor', reason: 'must be more than zero' },
    ]);
  }
  const left = pix.amountCents - pix.refundedCents;
  if (request.amountCents > left) {
    throw new InvalidRefundError('This refund, with the earlier ones, would exceed the value of the Pix.', [
      { field: 'devolucao.valor', reason: 'exceeds what is left to refund of the Pix' },
    ]);
  }
  return {
    id,
    returnId,
    ...request,
    status: settlesAtOnce ? 'DEVOLVIDO' : 'EM_PROCESSAMENTO',
    requestedAt: now,
    settledAt: settlesAtOnce ? now : null,
  };
}

/** The existing refund answers a repeated request, but only the very same request. */
export function assertSameRequest(existing: Refund, request: RefundRequest): void {
  if (
    existing.amountCents === request.amountCents &&
    existing.nature === request.nature &&
    existing.description === request.description
  ) {
    return;
  }
  throw new InvalidRefundError(`Refund ${existing.id} of this Pix exists with another request.`, [
    { field: 'id', reason: 'is already used by another refund request of this Pix', value: existing.id },
  ]);
}
