// The open payload routes: a charge's signed payload at its location, and the key set that verifies
// it. No client and no owner: the location's access token is the capability.
import type { CobPayload, ConjuntoDeChaves } from '../../../api/payment-payload/schema.gen.ts';
import type { PaymentPayloadHandlers } from '../../../api/payment-payload/server.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { PayloadService, PresentedCharge } from '../domain/payload-service.ts';
import { chargeTerms, debtorFields } from './charge-representation.ts';
import type { PayloadSignature } from './payload-signature.ts';

/** A payer may cache the key set briefly; a rotated key shows up within this many seconds. */
const KEY_SET_MAX_AGE_SECONDS = 300;

export function createPayloadHandlers(
  payloads: PayloadService,
  signer: PayloadSignature,
): PaymentPayloadHandlers<RequestContext> {
  return {
    async getPayloadKeySet() {
      return {
        status: 200,
        headers: { 'Cache-Control': `public, max-age=${KEY_SET_MAX_AGE_SECONDS}` },
        // The signer publishes RSA public keys with kid, alg RS256 and use sig, as the schema says.
        body: signer.jwks() as ConjuntoDeChaves,
      };
    },

    async getChargePayload({ params }) {
      const presented = await payloads.present(params.pixUrlAccessToken);
      return {
        status: 200,
        headers: { 'Cache-Control': 'no-store' },
        contentType: 'application/jose',
        body: await signer.sign(toCobPayload(presented)),
      };
    },
  };
}

/** The official CobPayload: the charge's fields a payer needs, and when it was presented. */
export function toCobPayload({ charge, status, presentedAt }: PresentedCharge): CobPayload {
  return {
    calendario: {
      criacao: charge.createdAt.toISOString(),
      apresentacao: presentedAt.toISOString(),
      expiracao: charge.expiresInSeconds,
    },
    txid: charge.txid,
    revisao: charge.revision,
    ...debtorFields(charge),
    status,
    ...chargeTerms(charge),
  };
}
