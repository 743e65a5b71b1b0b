// How a location is shown to clients: its URL without a scheme, as in the specification's examples
// (`<host>/qr/v2/<token>`), and the charge's BR Code ("Pix Copia e Cola") pointing at it.
import { buildDynamicBrCode } from '../domain/br-code.ts';
import type { Location } from '../domain/location.ts';

export interface PayloadPresentationSettings {
  /** host[:port] the payload is served from (PIX_PAYLOAD_HOST). */
  payloadHost: string;
  merchantName: string;
  merchantCity: string;
}

export interface PayloadPresentation {
  locationUrl(location: Location): string;
  brCode(location: Location): string;
}

export function payloadPresentation(settings: PayloadPresentationSettings): PayloadPresentation {
  const locationUrl = (location: Location) => `${settings.payloadHost}/qr/v2/${location.accessToken}`;
  return {
    locationUrl,
    brCode: (location) =>
      buildDynamicBrCode({
        location: locationUrl(location),
        merchantName: settings.merchantName,
        merchantCity: settings.merchantCity,
      }),
  };
}
