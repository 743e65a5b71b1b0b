// The Payment domain's errors. Each has a stable code; the HTTP adapter's problem table maps them
// to the official error types of the Pix API (CobNaoEncontrado, PixDevolucaoInvalida, ...).
import { DomainError } from '../../platform/domain-error.ts';

/** One invalid field, named as the Pix API names it (`cob.valor.original`). */
export interface Violation {
  field: string;
  reason: string;
  value?: string;
}

/** What a violation is about, so the edge can name the official error type. */
export type PaymentResource = 'cob' | 'loc' | 'pix' | 'webhook';

export class ChargeNotFoundError extends DomainError {
  readonly code = 'payment.charge_not_found';

  constructor(txid: string) {
    super(`No charge with txid ${txid}.`);
  }
}

export class ChargeRevisionNotFoundError extends DomainError {
  readonly code = 'payment.charge_revision_not_found';
  readonly violations: Violation[];

  constructor(txid: string, revision: number) {
    super(`Charge ${txid} has no revision ${revision}.`);
    this.violations = [
      { field: 'revisao', reason: 'is not a revision of this charge', value: String(revision) },
    ];
  }
}

/** A charge request or revision that breaks a rule of the specification. */
export class InvalidChargeError extends DomainError {
  readonly code = 'payment.charge_invalid';
  readonly violations: Violation[];

  constructor(detail: string, violations: Violation[]) {
    super(detail);
    this.violations = violations;
  }
}

export class LocationNotFoundError extends DomainError {
  readonly code = 'payment.location_not_found';

  constructor(id: number) {
    super(`No location ${id}.`);
  }
}

export class PixNotFoundError extends DomainError {
  readonly code = 'payment.pix_not_found';

  constructor(endToEndId: string) {
    super(`No Pix ${endToEndId}.`);
  }
}

export class RefundNotFoundError extends DomainError {
  readonly code = 'payment.refund_not_found';

  constructor(endToEndId: string, id: string) {
    super(`Pix ${endToEndId} has no refund ${id}.`);
  }
}

/** A refund the Pix cannot take: over its value, or an id reused with another request. */
export class InvalidRefundError extends DomainError {
  readonly code = 'payment.refund_invalid';
  readonly violations: Violation[];

  constructor(detail: string, violations: Violation[]) {
    super(detail);
    this.violations = violations;
  }
}

export class WebhookNotFoundError extends DomainError {
  readonly code = 'payment.webhook_not_found';

  constructor(key: string) {
    super(`No webhook for key ${key}.`);
  }
}

/** A webhook the service will not configure: a blank key, or a URL the target policy refuses. */
export class InvalidWebhookError extends DomainError {
  readonly code = 'payment.webhook_invalid';
  readonly violations: Violation[];

  constructor(detail: string, violations: Violation[]) {
    super(detail);
    this.violations = violations;
  }
}

/** List parameters that pass the schema but make no sense together (fim before inicio, cpf and cnpj). */
export class InvalidQueryError extends DomainError {
  readonly code = 'payment.query_invalid';
  readonly resource: PaymentResource;
  readonly violations: Violation[];

  constructor(resource: PaymentResource, violations: Violation[]) {
    super(violations.map((violation) => `${violation.field} ${violation.reason}`).join('; ') + '.');
    this.resource = resource;
    this.violations = violations;
  }
}

/** An Idempotency-Key already used by this client with another request body. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'payment.idempotency_key_reused';

  constructor() {
    super('This Idempotency-Key was used before with another request body; use a new key.');
  }
}
