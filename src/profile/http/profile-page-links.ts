// RFC 8288 Link headers for both pagination modes, as relative references so they hold behind any
// proxy or host name.
import { formatLinkHeader, type WebLink } from '../../platform/link-header.ts';

const COLLECTION = '/v1/profiles';

function href(params: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, String(value));
  return `${COLLECTION}?${query.toString()}`;
}

export function offsetLinks(page: number, pageSize: number, totalPages: number): string {
  const last = Math.max(totalPages, 1);
  const links: WebLink[] = [{ rel: 'first', href: href({ page: 1, pageSize }) }];
  if (page > 1) links.push({ rel: 'prev', href: href({ page: Math.min(page - 1, last), pageSize }) });
  if (page < totalPages) links.push({ rel: 'next', href: href({ page: page + 1, pageSize }) });
  links.push({ rel: 'last', href: href({ page: last, pageSize }) });
  return formatLinkHeader(links);
}

export function cursorLinks(
  limit: number,
  nextCursor: string | null,
  prevCursor: string | null,
): string | undefined {
  const links: WebLink[] = [];
  if (nextCursor) links.push({ rel: 'next', href: href({ limit, after: nextCursor }) });
  if (prevCursor) links.push({ rel: 'prev', href: href({ limit, before: prevCursor }) });
  return links.length > 0 ? formatLinkHeader(links) : undefined;
}
