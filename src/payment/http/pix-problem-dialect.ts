// The Pix API's problem dialect (RFC 7807): `type` is https://pix.bcb.gov.br/api/v2/error/<TipoErro>,
// with `title`, `status`, `detail`, `correlationId` and `violacoes[{razao, propriedade, valor}]`.
// Every problem of a Payment route (and of unmatched requests under /v2) passes through here, the
// server's own included: the module's errors keep their official types, the rest take the
// specification's general types by what went wrong.
import type { NeutralProblem, ProblemDialect } from '../../platform/problem-dialect.ts';
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
