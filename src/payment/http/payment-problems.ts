// The Payment module's one problem table: each of its errors, and only here, becomes an HTTP status
// and one of the official error types of the Pix API (`https://pix.bcb.gov.br/api/v2/error/<TipoErro>`).
import type { ErrorToProblem, MappedProblem } from '../../platform/problem.ts';
import {
  ChargeNotFoundError,
  ChargeRevisionNotFoundError,
  IdempotencyKeyReusedError,
  InvalidChargeError,
  InvalidQueryError,
  InvalidRefundError,
  LocationNotFoundError,
  PixNotFoundError,
  RefundNotFoundError,
  InvalidWebhookError,
  WebhookNotFoundError,
  type PaymentResource,
  type Violation,
} from '../domain/payment-errors.ts';

export const PIX_ERROR_TYPE_BASE = 'https://pix.bcb.gov.br/api/v2/error/';

export function pixErrorType(name: string): string {
  return `${PIX_ERROR_TYPE_BASE}${name}`;
}

const QUERY_ERROR_TYPES: Readonly<Record<PaymentResource, string>> = {
  cob: 'CobConsultaInvalida',
  loc: 'PayloadLocationConsultaInvalida',
  pix: 'PixConsultaInvalida',
  webhook: 'WebhookConsultaInvalida',
};

function problem(
  status: number,
  name: string,
  title: string,
  error: Error,
  violations?: Violation[],
): MappedProblem {
  return {
    status,
    type: pixErrorType(name),
    title,
    detail: error.message,
    ...(violations && violations.length > 0
      ? {
          invalidParams: violations.map(({ field, reason, value }) => ({
            name: field,
            reason,
            ...(value === undefined ? {} : { value }),
          })),
        }
      : {}),
  };
}

export const paymentErrorToProblem: ErrorToProblem = (error): MappedProblem | undefined => {
  if (error instanceof ChargeNotFoundError)
    return problem(404, 'CobNaoEncontrado', 'Cobrança não encontrada.', error);
  if (error instanceof InvalidChargeError) {
    return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', error, error.violations);
  }
  if (error instanceof ChargeRevisionNotFoundError) {
    return problem(400, 'CobConsultaInvalida', 'Consulta inválida.', error, error.violations);
  }
  if (error instanceof LocationNotFoundError) {
    return problem(404, 'PayloadLocationNaoEncontrado', 'Location não encontrada.', error);
  }
  if (error instanceof PixNotFoundError)
    return problem(404, 'PixNaoEncontrado', 'Pix não encontrado.', error);
  if (error instanceof RefundNotFoundError) {
    return problem(404, 'PixDevolucaoNaoEncontrada', 'Devolução não encontrada.', error);
  }
  if (error instanceof InvalidRefundError) {
    return problem(400, 'PixDevolucaoInvalida', 'Devolução inválida.', error, error.violations);
  }
  if (error instanceof WebhookNotFoundError)
    return problem(404, 'WebhookNaoEncontrado', 'Webhook não encontrado.', error);
  if (error instanceof InvalidWebhookError) {
    return problem(400, 'WebhookOperacaoInvalida', 'Webhook inválido.', error, error.violations);
  }
  if (error instanceof InvalidQueryError) {
    return problem(400, QUERY_ERROR_TYPES[error.resource], 'Consulta inválida.', error, error.violations);
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return problem(422, 'RequisicaoInvalida', 'Idempotency-Key reutilizada.', error, [
      { field: 'Idempotency-Key', reason: 'was used before with another request body' },
    ]);
  }
  return undefined;
};
