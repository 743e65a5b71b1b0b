// A webhook: where to notify a receiving user of the Pix received on one of their keys. One per
// client and key; configuring the key again replaces the URL.
import type { Violation } from './payment-errors.ts';

export interface Webhook {
  /** The Pix key (DICT) notified of, as the client gave it. */
  key: string;
  /** Where notifications go, as `{url}/pix`; passed the target policy when configured. */
  url: string;
  /** When the current URL was configured. */
  configuredAt: Date;
}

/** Both bounds optional: without them, every webhook of the client. */
export interface WebhookFilter {
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * The five kinds of key the DICT holds, by their form (whether the key is registered to this
 * receiving user only the DICT could say; the service has no access to it).
 */
const DICT_KEY_FORMS: readonly RegExp[] = [
  /^\d{11}$/, // CPF
  /^[0-9A-Z]{12}\d{2}$/, // CNPJ, numeric or alphanumeric
  /^\+[1-9]\d{1,14}$/, // phone number, E.164
  // e-mail address, as the DICT writes its form (at most 77 characters)
  /^[a-z0-9.!#$&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, // random key (EVP)
];

export function isDictKey(key: string): boolean {
  return key.length <= 77 && DICT_KEY_FORMS.some((form) => form.test(key));
}

/** "o parâmetro {chave} não corresponde a uma chave DICT válida" is WebhookOperacaoInvalida. */
export function webhookKeyViolations(key: string): Violation[] {
  return isDictKey(key)
    ? []
    : [
        {
          field: 'chave',
          reason:
            'is not a Pix key: a CPF, a CNPJ, an e-mail address, a phone number (+55...) or a random key (EVP)',
          value: key,
        },
      ];
}
