/** A distribution of measured values (a lag, a duration), recorded once per measurement. */
export interface ValueRecorder {
  record(value: number, attributes?: Readonly<Record<string, string>>): void;
}

export const noopValueRecorder: ValueRecorder = { record: () => undefined };
