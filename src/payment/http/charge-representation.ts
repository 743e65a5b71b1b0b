// Immediate charges between the Pix API's shapes and the domain's: requests in, charges out.
import type { CobCompleta, CobRevisada, CobSolicitada, Devedor } from '../../../api/payment/schema.gen.ts';
import type { ChargeView } from '../domain/charge-service.ts';
import type { Charge, ChargeRequest, ChargeRevision, Debtor } from '../domain/charge.ts';
import { formatCents, parseCents } from '../domain/money.ts';
import type { PayloadPresentation } from './payload-presentation.ts';
import { toPixDto } from './pix-representation.ts';

export function chargeRequestFrom(body: CobSolicitada): ChargeRequest {
  return {
    expiresInSeconds: body.calendario.expiracao,
    originalCents: parseCents(body.valor.original),
    amountModifiable:
      body.valor.modalidadeAlteracao === undefined ? undefined : body.valor.modalidadeAlteracao === 1,
    key: body.chave,
    debtor: body.devedor && debtorFrom(body.devedor),
    payerRequest: body.solicitacaoPagador,
    additionalInfo: body.infoAdicionais?.map(({ nome, valor }) => ({ name: nome, value: valor })),
    locationId: body.loc?.id,
  };
}

export function chargeRevisionFrom(body: CobRevisada): ChargeRevision {
  return {
    expiresInSeconds: body.calendario?.expiracao,
    originalCents: body.valor?.original === undefined ? undefined : parseCents(body.valor.original),
    amountModifiable:
      body.valor?.modalidadeAlteracao === undefined ? undefined : body.valor.modalidadeAlteracao === 1,
    key: body.chave,
    debtor: body.devedor && debtorFrom(body.devedor),
    payerRequest: body.solicitacaoPagador,
    additionalInfo: body.infoAdicionais?.map(({ nome, valor }) => ({ name: nome, value: valor })),
    locationId: body.loc?.id,
    remove: body.status === 'REMOVIDA_PELO_USUARIO_RECEBEDOR' ? true : undefined,
  };
}

function debtorFrom(devedor: Devedor): Debtor {
  return 'cpf' in devedor
    ? { kind: 'cpf', document: devedor.cpf, name: devedor.nome }
    : { kind: 'cnpj', document: devedor.cnpj, name: devedor.nome };
}

/** `devedor`, when the charge names one: shared by the charge and its signed payload. */
export function debtorFields(charge: Charge): Pick<CobCompleta, 'devedor'> {
  if (!charge.debtor) return {};
  const { kind, document, name } = charge.debtor;
  return { devedor: kind === 'cpf' ? { cpf: document, nome: name } : { cnpj: document, nome: name } };
}

/** What the payer is asked for (value, key, request, extra information): the charge and its payload. */
export function chargeTerms(
  charge: Charge,
): Pick<CobCompleta, 'valor' | 'chave' | 'solicitacaoPagador' | 'infoAdicionais'> {
  return {
    valor: {
      original: formatCents(charge.originalCents),
      modalidadeAlteracao: charge.amountModifiable ? 1 : 0,
    },
    chave: charge.key,
    ...(charge.payerRequest === null ? {} : { solicitacaoPagador: charge.payerRequest }),
    ...(charge.additionalInfo.length === 0
      ? {}
      : { infoAdicionais: charge.additionalInfo.map(({ name, value }) => ({ nome: name, valor: value })) }),
  };
}

/** A charge as CobCompleta (which CobGerada is a part of): `pix` only when it has been paid. */
export function toCobDto(
  { charge, status, pix }: ChargeView,
  presentation: PayloadPresentation,
): CobCompleta {
  const { location } = charge;
  return {
    calendario: { criacao: charge.createdAt.toISOString(), expiracao: charge.expiresInSeconds },
    txid: charge.txid,
    revisao: charge.revision,
    ...debtorFields(charge),
    ...(location
      ? {
          loc: {
            id: location.id,
            txid: charge.txid,
            location: presentation.locationUrl(location),
            tipoCob: location.kind,
            criacao: location.createdAt.toISOString(),
          },
          location: presentation.locationUrl(location),
        }
      : {}),
    status,
    ...chargeTerms(charge),
    ...(location ? { pixCopiaECola: presentation.brCode(location) } : {}),
    ...(pix.length === 0 ? {} : { pix: pix.map(toPixDto) }),
  };
}
