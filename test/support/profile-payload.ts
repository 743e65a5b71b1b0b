import { randomUUID } from 'node:crypto';

/** A valid Profile API body with an email no other test uses. */
export function newProfileBody(name = 'Grace Hopper'): { name: string; email: string; age: number } {
  return { name, email: `${randomUUID()}@example.org`, age: 42 };
}
