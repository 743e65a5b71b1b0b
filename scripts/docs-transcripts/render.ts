// Markdown for the walkthrough: each exchange as the curl command that makes it and what
// `curl -si` prints, minus the headers the document names once instead of on every response.
import type { ExchangeResponse } from './exchange.ts';

/** Connection-level headers, different on every run and of no interest to an API user. */
export const TRANSPORT_HEADERS = ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'];

/**
 * Sent with the same meaning on every response (security headers, the rate limit state, no-store
 * for requests with credentials): shown once, then left out. The walkthrough fails when a response
 * lacks one, so this list cannot claim more than the service does.
 */
export const EVERY_RESPONSE_HEADERS = [
  'cache-control',
  'content-security-policy',
  'cross-origin-resource-policy',
  'referrer-policy',
  'x-content-type-options',
  'x-frame-options',
  'ratelimit',
  'ratelimit-policy',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset-seconds',
];

export function renderResponse(response: ExchangeResponse, omit: readonly string[]): string {
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`];
  for (const [name, value] of response.headers) if (!omit.includes(name)) lines.push(`${name}: ${value}`);
  if (response.body.length > 0) lines.push('', prettyBody(response));
  return lines.join('\n');
}

function prettyBody(response: ExchangeResponse): string {
  const type = response.headers.find(([name]) => name === 'content-type')?.[1] ?? '';
  return /json/.test(type) ? JSON.stringify(JSON.parse(response.body), null, 2) : response.body;
}

export function codeBlock(language: string, text: string): string {
  return ['```' + language, text, '```'].join('\n');
}

/**
 * What changes from run to run (ids, times, tokens, cursors, trace ids, rate limit counts), replaced
 * by placeholders: two runs of the same walkthrough normalize to the same text.
 */
export function normalized(markdown: string): string {
  return markdown
    .replace(/eyJ[\w-]*\.eyJ[\w-]*\.[\w-]+/g, '<jwt>')
    .replace(/eyJ[\w-]+\.[\w-]+/g, '<cursor>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\b[0-9a-f]{32}\b/g, '<trace-id>')
    .replace(/\b(r|t)=\d+/g, '$1=<n>')
    .replace(/(x-ratelimit-(?:remaining|reset-seconds): )\d+/g, '$1<n>');
}
