// The charge (cob) operations of the Payment API's driving adapter.
import type { PaymentHandlers } from '../../../api/payment/server.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { ChargeService } from '../domain/charge-service.ts';
import type { Charge } from '../domain/charge.ts';
import { chargeRequestFrom, chargeRevisionFrom, toCobDto } from './charge-representation.ts';
import { ownerOf } from './owner-of.ts';
import { givenFilters, pageRequestFrom, paginacaoOf } from './pagination.ts';
import type { PayloadPresentation } from './payload-presentation.ts';
import { requestFingerprint } from './request-fingerprint.ts';

type ChargeHandlers = Pick<
  PaymentHandlers<RequestContext>,
  'createChargeWithTxid' | 'createCharge' | 'reviseCharge' | 'getCharge' | 'listCharges'
>;

export function createChargeHandlers(
  charges: ChargeService,
  presentation: PayloadPresentation,
): ChargeHandlers {
  // A charge just written is shown with its stored status: a replayed creation answers exactly as
  // the first one did, even if the charge has expired since.
  const written = (charge: Charge) => toCobDto({ charge, status: charge.status, pix: [] }, presentation);
  return {
    async createChargeWithTxid({ params, body }, context) {
      const charge = await charges.createWithTxid(ownerOf(context), params.txid, chargeRequestFrom(body));
      return { status: 201, body: written(charge) };
    },

    async createCharge({ headers, body }, context) {
      const key = headers['idempotency-key'];
      const { charge } = await charges.create(
        ownerOf(context),
        chargeRequestFrom(body),
        key === undefined ? undefined : { key, fingerprint: requestFingerprint(body) },
      );
      return { status: 201, body: written(charge) };
    },

    async reviseCharge({ params, body }, context) {
      const charge = await charges.revise(ownerOf(context), params.txid, chargeRevisionFrom(body));
      return { status: 200, body: written(charge) };
    },

    async getCharge({ params, query }, context) {
      const view = await charges.get(ownerOf(context), params.txid, query.revisao);
      return { status: 200, body: toCobDto(view, presentation) };
    },

    async listCharges({ query }, context) {
      const filter = {
        from: new Date(query.inicio),
        to: new Date(query.fim),
        cpf: query.cpf,
        cnpj: query.cnpj,
        locationPresent: query.locationPresente,
        status: query.status,
      };
      const page = pageRequestFrom(query);
      const found = await charges.list(ownerOf(context), filter, page);
      return {
        status: 200,
        body: {
          parametros: {
            inicio: query.inicio,
            fim: query.fim,
            ...givenFilters({
              cpf: query.cpf,
              cnpj: query.cnpj,
              locationPresente: query.locationPresente,
              status: query.status,
            }),
            paginacao: paginacaoOf(page, found.totalItems),
          },
          cobs: found.items.map((view) => toCobDto(view, presentation)),
        },
      };
    },
  };
}
