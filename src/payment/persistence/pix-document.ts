// A Pix as an event row keeps it in jsonb: the domain object with its dates as ISO strings.
import type { Pix, Refund } from '../domain/pix.ts';

type RefundDocument = Omit<Refund, 'requestedAt' | 'settledAt'> & {
  requestedAt: string;
  settledAt: string | null;
};

export type PixDocument = Omit<Pix, 'settledAt' | 'refunds'> & {
  settledAt: string;
  refunds: RefundDocument[];
};

export function toPixDocument(pix: Pix): PixDocument {
  return {
    ...pix,
    settledAt: pix.settledAt.toISOString(),
    refunds: pix.refunds.map((refund) => ({
      ...refund,
      requestedAt: refund.requestedAt.toISOString(),
      settledAt: refund.settledAt?.toISOString() ?? null,
    })),
  };
}

export function fromPixDocument(document: PixDocument): Pix {
  return {
    ...document,
    settledAt: new Date(document.settledAt),
    refunds: document.refunds.map((refund) => ({
      ...refund,
      requestedAt: new Date(refund.requestedAt),
      settledAt: refund.settledAt === null ? null : new Date(refund.settledAt),
    })),
  };
}
