// The payload location (loc) operations of the Payment API's driving adapter.
import type { PaymentHandlers } from '../../../api/payment/server.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { LocationService } from '../domain/location-service.ts';
import { ownerOf } from './owner-of.ts';
import { givenFilters, pageRequestFrom, paginacaoOf } from './pagination.ts';
import type { PayloadPresentation } from './payload-presentation.ts';
import { toLocationDto } from './pix-representation.ts';

type LocationHandlers = Pick<
  PaymentHandlers<RequestContext>,
  'createLocation' | 'listLocations' | 'getLocation' | 'unlinkLocation'
>;

export function createLocationHandlers(
  locations: LocationService,
  presentation: PayloadPresentation,
): LocationHandlers {
  return {
    async createLocation(_request, context) {
      const location = await locations.create(ownerOf(context));
      return { status: 201, body: toLocationDto(location, presentation) };
    },

    async getLocation({ params }, context) {
      const location = await locations.get(ownerOf(context), params.id);
      return { status: 200, body: toLocationDto(location, presentation) };
    },

    async unlinkLocation({ params }, context) {
      const location = await locations.unlink(ownerOf(context), params.id);
      return { status: 200, body: toLocationDto(location, presentation) };
    },

    async listLocations({ query }, context) {
      const page = pageRequestFrom(query);
      const found = await locations.list(
        ownerOf(context),
        {
          from: new Date(query.inicio),
          to: new Date(query.fim),
          txidPresent: query.txIdPresente,
          kind: query.tipoCob,
        },
        page,
      );
      return {
        status: 200,
        body: {
          parametros: {
            inicio: query.inicio,
            fim: query.fim,
            ...givenFilters({ txIdPresente: query.txIdPresente, tipoCob: query.tipoCob }),
            paginacao: paginacaoOf(page, found.totalItems),
          },
          loc: found.items.map((location) => toLocationDto(location, presentation)),
        },
      };
    },
  };
}
