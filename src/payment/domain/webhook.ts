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

/** The same rule a charge's key follows: any key the client names, but not a blank one. */
export function webhookKeyViolations(key: string): Violation[] {
  return key.trim().length === 0 ? [{ field: 'chave', reason: 'must not be blank' }] : [];
}
