// The only lines of existing files a new module adds: its entry in oapi/codegen.yaml, its catalogue
// in src/service-catalog.ts and its factory call in src/app.ts, each with its import. Each goes
// next to a marker comment that says so, so deleting the lines (and the module's files) undoes it.
import type { Placeholders } from './module-names.ts';
import { renderTemplate } from './render-template.ts';

export interface Registration {
  /** The file, relative to the repository. */
  file: string;
  /** A line of the file, matched after trimming: the new line goes just before it, or after it. */
  marker: string;
  where: 'before' | 'after';
  /** The line added, with placeholders. */
  line: string;
}

export const REGISTRATIONS: readonly Registration[] = [
  {
    file: 'oapi/codegen.yaml',
    marker: '# npm run new:module adds one line per new module below (docs/extending.md).',
    where: 'after',
    line: '  - { name: __module__, spec: __module__.yaml }',
  },
  {
    file: 'src/service-catalog.ts',
    marker: "// npm run new:module adds the new module's import above this line (docs/extending.md).",
    where: 'before',
    line: "import { __module__ModuleCatalog } from './__module__/__module__-catalog.ts';",
  },
  {
    file: 'src/service-catalog.ts',
    marker: '// npm run new:module adds one entry per new module above this line (docs/extending.md).',
    where: 'before',
    line: '  __module__ModuleCatalog,',
  },
  {
    file: 'src/app.ts',
    marker: "// npm run new:module adds the new module's import above this line (docs/extending.md).",
    where: 'before',
    line: "import { create__Module__Module } from './__module__/__module__-module.ts';",
  },
  {
    file: 'src/app.ts',
    marker: '// npm run new:module adds one factory call per new module above this line (docs/extending.md).',
    where: 'before',
    line: '    create__Module__Module(moduleSettings, moduleDeps),',
  },
];

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

/**
 * The file's text with the registration's line added. After a marker, the line goes below the lines
 * added there before (the end of the file's block), so modules stay in the order they were made.
 */
export function register(text: string, registration: Registration, placeholders: Placeholders): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.trim() === registration.marker);
  if (at === -1) {
    throw new RegistrationError(
      `${registration.file} has no line '${registration.marker}' to register the module at; ` +
        'restore it (docs/extending.md shows where it goes)',
    );
  }
  const line = renderTemplate(registration.line, placeholders, registration.file);
  let index = at;
  if (registration.where === 'after') {
    index = at + 1;
    while (index < lines.length && lines[index]!.startsWith('  - {')) index += 1;
  }
  lines.splice(index, 0, line);
  return lines.join('\n');
}
