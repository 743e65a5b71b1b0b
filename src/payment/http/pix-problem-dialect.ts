// The Pix API's problem dialect (RFC 7807): `type` is https://pix.bcb.gov.br/api/v2/error/<TipoErro>,
// with `title`, `status`, `detail`, `correlationId` and `violacoes[{razao, propriedade, valor}]`.
// Every problem of a Payment route (and of unmatched requests under /v2) passes through here, the
// server's own included: the module's errors keep their official types, the rest take the
// specification's general types by what went wrong. A request its schemas refuse is answered as the
// specification does, 400 with the operation's own type (pixValidationRefusal).
import type {
  NeutralProblem,
  ProblemDialect,
  ValidationRefusal,
  ValidationRefusalPolicy,
} from '../../platform/problem-dialect.ts';
import { PIX_ERROR_TYPE_BASE, pixErrorType } from './payment-problems.ts';

const GENERAL_TYPES: Readonly<Record<string, string>> = {
  unauthenticated: 'AcessoNegado',
  'invalid-token': 'AcessoNegado',
  'insufficient-scope': 'AcessoNegado',
  'not-found': 'NaoEncontrado',
  'internal-server-error': 'ErroInternoDoServidor',
  'service-unavailable': 'ServicoIndisponivel',
  overloaded: 'ServicoIndisponivel',
  'rate-limit-unavailable': 'ServicoIndisponivel',
};

export const pixProblemDialect: ProblemDialect = (problem: NeutralProblem) => {
  const type = problem.type.startsWith(PIX_ERROR_TYPE_BASE)
    ? problem.type
    : pixErrorType(GENERAL_TYPES[problem.kind] ?? 'RequisicaoInvalida');
  const violacoes = (problem.invalidParams ?? []).map((param) => ({
    razao: param.reason,
    propriedade: param.name.startsWith('body.') ? param.name.slice(5) : param.name,
    ...(param.value === undefined ? {} : { valor: param.value }),
  }));
  return {
    type,
    title: problem.title,
    status: problem.status,
    // The server's neutral details point at invalidParams; in this dialect the list is violacoes.
    ...(problem.detail === undefined
      ? {}
      : { detail: problem.detail.replaceAll('invalidParams', 'violacoes') }),
    ...(problem.requestId === undefined ? {} : { correlationId: problem.requestId }),
    ...(violacoes.length > 0 ? { violacoes } : {}),
  };
};

function refusal(name: string, title: string): ValidationRefusal {
  return { status: 400, type: pixErrorType(name), title };
}

const GENERAL_REFUSAL = refusal('RequisicaoInvalida', 'Requisição inválida.');
const CHARGE_OPERATION = refusal('CobOperacaoInvalida', 'Cobrança inválida.');
const CHARGE_QUERY = refusal('CobConsultaInvalida', 'Consulta inválida.');
const LOCATION_OPERATION = refusal('PayloadLocationOperacaoInvalida', 'Location inválida.');
const LOCATION_QUERY = refusal('PayloadLocationConsultaInvalida', 'Consulta inválida.');
const PIX_QUERY = refusal('PixConsultaInvalida', 'Consulta inválida.');
const REFUND_OPERATION = refusal('PixDevolucaoInvalida', 'Devolução inválida.');

/**
 * The official document answers a request that "does not respect the schema" with 400 and the
 * error type of the operation's tag (its list of errors names the endpoints of each): a charge
 * that is written, a query of charges, locations or Pix, a refund. Every other operation takes the
 * general RequisicaoInvalida, also 400: the document declares no 422 anywhere.
 */
const REFUSALS: Readonly<Record<string, ValidationRefusal>> = {
  createChargeWithTxid: CHARGE_OPERATION,
  createCharge: CHARGE_OPERATION,
  reviseCharge: CHARGE_OPERATION,
  getCharge: CHARGE_QUERY,
  listCharges: CHARGE_QUERY,
  createLocation: LOCATION_OPERATION,
  getLocation: LOCATION_QUERY,
  listLocations: LOCATION_QUERY,
  listPix: PIX_QUERY,
  requestRefund: REFUND_OPERATION,
};

export const pixValidationRefusal: ValidationRefusalPolicy = (operationId) =>
  REFUSALS[operationId] ?? GENERAL_REFUSAL;
