import type { RandomAlphanumeric } from '../../platform/random-alphanumeric.ts';

/** Draws `length` characters and checks the injected generator kept its promise. */
export function randomPart(random: RandomAlphanumeric, length: number, what: string): string {
  const part = random(length);
  if (part.length !== length || !/^[A-Za-z0-9]*$/.test(part)) {
    throw new Error(
      `the random source gave ${JSON.stringify(part)} for ${what}; wanted ${length} of [A-Za-z0-9]`,
    );
  }
  return part;
}
