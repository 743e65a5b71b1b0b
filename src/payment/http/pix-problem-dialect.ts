// The Pix API's problem dialect (RFC 7807): `type` is https://pix.bcb.gov.br/api/v2/error/<TipoErro>,
// with `title`, `status`, `detail`, `correlationId` and `violacoes[{razao, propriedade, valor}]`.
// Every problem of a Payment route passes through here, the server's own included: a request the
// contract refuses is the operation's OperacaoInvalida (writes) or ConsultaInvalida (reads), 400,
// as the specification lists them; the rest take the general types by status.
import type { Problem, ProblemDialect } from '../../platform/problem.ts';
import { PIX_ERROR_TYPE_BASE, pixErrorType } from './payment-problems.ts';

interface OperationDialect {
  /** The error type of a request that breaks the operation's schema. */
  invalid: string;
  /** How a body field is named in `violacoes[].propriedade` (`cob.valor.original`). */
  bodyName: string;
}

const WRITE_COB = { invalid: 'CobOperacaoInvalida', bodyName: 'cob' };
const READ_COB = { invalid: 'CobConsultaInvalida', bodyName: 'cob' };
const READ_LOC = { invalid: 'PayloadLocationConsultaInvalida', bodyName: 'loc' };
const READ_PIX = { invalid: 'PixConsultaInvalida', bodyName: 'pix' };

const OPERATIONS: Readonly<Record<string, OperationDialect>> = {
  createChargeWithTxid: WRITE_COB,
  createCharge: WRITE_COB,
  reviseCharge: WRITE_COB,
  getCharge: READ_COB,
  listCharges: READ_COB,
  createLocation: { invalid: 'PayloadLocationOperacaoInvalida', bodyName: 'loc' },
  listLocations: READ_LOC,
  getLocation: READ_LOC,
  unlinkLocation: READ_LOC,
  getPix: READ_PIX,
  listPix: READ_PIX,
  requestRefund: { invalid: 'PixDevolucaoInvalida', bodyName: 'devolucao' },
  getRefund: READ_PIX,
  simulatePayment: { invalid: 'CobOperacaoInvalida', bodyName: 'pagamento' },
};

const GENERAL_TYPES: Readonly<Record<number, string>> = {
  401: 'AcessoNegado',
  403: 'AcessoNegado',
  404: 'NaoEncontrado',
  410: 'PermanentementeRemovido',
  500: 'ErroInternoDoServidor',
  503: 'ServicoIndisponivel',
  504: 'IndisponibilidadePorTempoEsgotado',
};

export const pixProblemDialect: ProblemDialect = (problem: Problem, operationId: string) => {
  const operation = OPERATIONS[operationId] ?? READ_COB;
  const ours = problem.type.startsWith(PIX_ERROR_TYPE_BASE);
  // The contract's refusals (Profile-style 400/422) are the operation's own invalid-request type.
  const refusedByContract = !ours && (problem.status === 400 || problem.status === 422);
  const status = refusedByContract ? 400 : problem.status;
  const type = ours
    ? problem.type
    : pixErrorType(refusedByContract ? operation.invalid : (GENERAL_TYPES[status] ?? 'RequisicaoInvalida'));
  const violacoes = (problem.invalidParams ?? []).map((param) => ({
    razao: param.reason,
    propriedade: param.name.startsWith('body.') ? `${operation.bodyName}.${param.name.slice(5)}` : param.name,
    ...(param.value === undefined ? {} : { valor: param.value }),
  }));
  return {
    type,
    title: problem.title,
    status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    ...(problem.requestId === undefined ? {} : { correlationId: problem.requestId }),
    ...(violacoes.length > 0 ? { violacoes } : {}),
  };
};
