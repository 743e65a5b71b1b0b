// The body of the `{webhookUrl}/pix` callback (the official WebhookPixBody): `{"pix": [...]}`, each
// item the Pix as GET /v2/pix/{e2eid} shows it, refunds included.
import type { Pix } from '../domain/pix.ts';
import { toPixDto } from '../http/pix-representation.ts';

/** One Pix of a notification, in the API's representation (also what NATS messages carry). */
export type PixItem = ReturnType<typeof toPixDto>;

export function toPixItem(pix: Pix): PixItem {
  return toPixDto(pix);
}

export function pixNotificationBody(items: readonly PixItem[]): string {
  return JSON.stringify({ pix: items });
}
