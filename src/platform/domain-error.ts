/**
 * The base of every error a domain raises on purpose. `code` is stable and machine-readable; the
 * HTTP status a code becomes is decided at the edge, in each module's problem table, never here.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
