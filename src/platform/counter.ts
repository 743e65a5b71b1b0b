/** A count of business events (profiles created, charges paid ...), recorded once each happened. */
export interface Counter {
  add(value?: number, attributes?: Readonly<Record<string, string>>): void;
}

export const noopCounter: Counter = { add: () => undefined };
