// Templates are plain text with `__name__` placeholders, in their file paths too; rendering replaces
// every known placeholder and refuses to leave an unknown one behind.
import type { Placeholders } from './module-names.ts';

const PLACEHOLDER = /__[A-Za-z][A-Za-z_]*?__/g;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The text with every placeholder replaced; TemplateError naming the first one it does not know. */
export function renderTemplate(text: string, placeholders: Placeholders, where: string): string {
  return text.replace(PLACEHOLDER, (placeholder) => {
    const value = placeholders[placeholder];
    if (value === undefined) throw new TemplateError(`${where}: unknown placeholder ${placeholder}`);
    return value;
  });
}
