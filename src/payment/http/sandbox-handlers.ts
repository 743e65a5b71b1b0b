// The settlement sandbox's driving adapter: pays a charge as if a Pix had arrived.
import type { PaymentSandboxHandlers } from '../../../api/payment-sandbox/server.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { parseCents } from '../domain/money.ts';
import type { Payer } from '../domain/pix.ts';
import type { PixService } from '../domain/pix-service.ts';
import { ownerOf } from './owner-of.ts';
import { toPixDto } from './pix-representation.ts';

export function createSandboxHandlers(pix: PixService): PaymentSandboxHandlers<RequestContext> {
  return {
    async simulatePayment({ params, body }, context) {
      const pagador = body?.pagador;
      const payer: Payer | undefined =
        pagador?.cpf !== undefined
          ? { kind: 'cpf', document: pagador.cpf, name: pagador.nome }
          : pagador?.cnpj !== undefined
            ? { kind: 'cnpj', document: pagador.cnpj, name: pagador.nome }
            : undefined;
      const received = await pix.pay(ownerOf(context), params.txid, {
        amountCents: body?.valor === undefined ? undefined : parseCents(body.valor),
        payer,
        payerInfo: body?.infoPagador,
      });
      return { status: 201, body: toPixDto(received) };
    },
  };
}
