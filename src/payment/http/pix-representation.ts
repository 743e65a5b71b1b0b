// Received Pix, refunds and locations as the Pix API shows them.
import type { Devolucao, PayloadLocationCompleta, Pix as PixDto } from '../../../api/payment/schema.gen.ts';
import type { Location } from '../domain/location.ts';
import { formatCents } from '../domain/money.ts';
import type { Pix, Refund } from '../domain/pix.ts';
import type { PayloadPresentation } from './payload-presentation.ts';

export function toRefundDto(refund: Refund): Devolucao {
  return {
    id: refund.id,
    rtrId: refund.returnId,
    valor: formatCents(refund.amountCents),
    natureza: refund.nature,
    ...(refund.description === null ? {} : { descricao: refund.description }),
    horario: {
      solicitacao: refund.requestedAt.toISOString(),
      ...(refund.settledAt ? { liquidacao: refund.settledAt.toISOString() } : {}),
    },
    status: refund.status,
  };
}

export function toPixDto(pix: Pix): PixDto {
  return {
    endToEndId: pix.endToEndId,
    ...(pix.txid === null ? {} : { txid: pix.txid }),
    valor: formatCents(pix.amountCents),
    ...(pix.key === null ? {} : { chave: pix.key }),
    horario: pix.settledAt.toISOString(),
    ...(pix.payerInfo === null ? {} : { infoPagador: pix.payerInfo }),
    ...(pix.refunds.length === 0 ? {} : { devolucoes: pix.refunds.map(toRefundDto) }),
  };
}

export function toLocationDto(
  location: Location,
  presentation: PayloadPresentation,
): PayloadLocationCompleta {
  return {
    id: location.id,
    ...(location.txid === null ? {} : { txid: location.txid }),
    location: presentation.locationUrl(location),
    tipoCob: location.kind,
    criacao: location.createdAt.toISOString(),
  };
}
