/** One RFC 8288 web link. */
export interface WebLink {
  rel: string;
  href: string;
}

export function formatLinkHeader(links: readonly WebLink[]): string {
  return links.map((link) => `<${link.href}>; rel="${link.rel}"`).join(', ');
}
