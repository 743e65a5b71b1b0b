// The received Pix and refund operations of the Payment API's driving adapter.
import type { PaymentHandlers } from '../../../api/payment/server.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { parseCents } from '../domain/money.ts';
import type { PixService } from '../domain/pix-service.ts';
import { ownerOf } from './owner-of.ts';
import { givenFilters, pageRequestFrom, paginacaoOf } from './pagination.ts';
import { toPixDto, toRefundDto } from './pix-representation.ts';

type PixHandlers = Pick<
  PaymentHandlers<RequestContext>,
  'getPix' | 'listPix' | 'requestRefund' | 'getRefund'
>;

export function createPixHandlers(pix: PixService): PixHandlers {
  return {
    async getPix({ params }, context) {
      return { status: 200, body: toPixDto(await pix.get(ownerOf(context), params.e2eid)) };
    },

    async listPix({ query }, context) {
      const page = pageRequestFrom(query);
      const found = await pix.list(
        ownerOf(context),
        {
          from: new Date(query.inicio),
          to: new Date(query.fim),
          txid: query.txid,
          txidPresent: query.txIdPresente,
          refundPresent: query.devolucaoPresente,
          cpf: query.cpf,
          cnpj: query.cnpj,
        },
        page,
      );
      return {
        status: 200,
        body: {
          parametros: {
            inicio: query.inicio,
            fim: query.fim,
            ...givenFilters({
              txid: query.txid,
              txIdPresente: query.txIdPresente,
              devolucaoPresente: query.devolucaoPresente,
              cpf: query.cpf,
              cnpj: query.cnpj,
            }),
            paginacao: paginacaoOf(page, found.totalItems),
          },
          pix: found.items.map(toPixDto),
        },
      };
    },

    async requestRefund({ params, body }, context) {
      const refund = await pix.refund(ownerOf(context), params.e2eid, params.id, {
        amountCents: parseCents(body.valor),
        nature: body.natureza ?? 'ORIGINAL',
        description: body.descricao ?? null,
      });
      return { status: 201, body: toRefundDto(refund) };
    },

    async getRefund({ params }, context) {
      return {
        status: 200,
        body: toRefundDto(await pix.getRefund(ownerOf(context), params.e2eid, params.id)),
      };
    },
  };
}
