// The Pix API's pagination: `paginacao.paginaAtual` (from 0) and `paginacao.itensPorPagina`
// (default 100, at most 1000, bounded by the contract) in, `parametros.paginacao` out.
import type { Paginacao } from '../../../api/payment/schema.gen.ts';
import { pageCount, type PageRequest } from '../domain/list-query.ts';

export const DEFAULT_ITEMS_PER_PAGE = 100;

export function pageRequestFrom(query: {
  'paginacao.paginaAtual'?: number | undefined;
  'paginacao.itensPorPagina'?: number | undefined;
}): PageRequest {
  return {
    page: query['paginacao.paginaAtual'] ?? 0,
    perPage: query['paginacao.itensPorPagina'] ?? DEFAULT_ITEMS_PER_PAGE,
  };
}

export function paginacaoOf(request: PageRequest, totalItems: number): Paginacao {
  return {
    paginaAtual: request.page,
    itensPorPagina: request.perPage,
    quantidadeDePaginas: pageCount(totalItems, request.perPage),
    quantidadeTotalDeItens: totalItems,
  };
}

/** The filters that were given, to echo in `parametros` (absent ones left out). */
export function givenFilters<T extends Record<string, unknown>>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Partial<T>;
}
