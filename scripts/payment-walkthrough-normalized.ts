// What changes from one run of the Payment walk-through to the next, replaced by placeholders so
// `npm run docs:check` compares what the service does, not which ids and keys a run drew: times,
// location tokens (and the BR Code CRC that covers them), end-to-end and return ids, the signing
// key (its modulus and thumbprint) and every JWS it made, and the webhook receiver's port with the
// time and signature of the notification it got.
import { normalized } from './docs-transcripts/render.ts';

export function normalizedWalkthrough(markdown: string): string {
  return normalized(markdown)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/\/qr\/v2\/(?!jwks\.json)[A-Za-z0-9-]{16,64}/g, '/qr/v2/<token>')
    .replace(/6304[0-9A-F]{4}"/g, '6304<crc>"')
    .replace(/("id": "63",\s*"value": ")[0-9A-F]{4}"/g, '$1<crc>"')
    .replace(/\b[ED]\d{20}[A-Za-z0-9]{11}\b/g, '<end-to-end-id>')
    .replace(/"(kid|n)": "[A-Za-z0-9_-]+"/g, '"$1": "<$1>"')
    .replace(/http:\/\/127\.0\.0\.1:\d+\//g, 'http://127.0.0.1:<port>/')
    .replace(/webhook-timestamp: \d+/g, 'webhook-timestamp: <time>')
    .replace(/webhook-signature: v1,[A-Za-z0-9+/=]+/g, 'webhook-signature: v1,<signature>')
    .replace(/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\b/g, '<jws>');
}
