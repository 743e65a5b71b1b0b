import { describe, expect, it } from 'vitest';
import { placeholdersFor } from './module-names.ts';
import { register, RegistrationError, REGISTRATIONS, type Registration } from './registrations.ts';

const placeholders = (module: string) =>
  placeholdersFor({ module, resource: 'item', resources: 'items' }, '20260101000000');

const codegen = REGISTRATIONS.find((registration) => registration.file === 'oapi/codegen.yaml')!;
const catalogEntry = REGISTRATIONS.find(
  (registration) => registration.line === '  __module__ModuleCatalog,',
)!;

describe('registration lines', () => {
  it('go after an after-marker, below the entries added there before, in the order made', () => {
    const text = ['apis:', '  - name: profile', `  ${codegen.marker}`, ''].join('\n');
    const once = register(text, codegen, placeholders('inventory'));
    const twice = register(once, codegen, placeholders('shop'));
    expect(twice.split('\n')).toEqual([
      'apis:',
      '  - name: profile',
      `  ${codegen.marker}`,
      '  - { name: inventory, spec: inventory.yaml }',
      '  - { name: shop, spec: shop.yaml }',
      '',
    ]);
  });

  it('go just before a before-marker', () => {
    const text = ['const MODULES = [', '  profileModuleCatalog,', `  ${catalogEntry.marker}`, '];'].join(
      '\n',
    );
    expect(register(text, catalogEntry, placeholders('inventory')).split('\n')).toEqual([
      'const MODULES = [',
      '  profileModuleCatalog,',
      '  inventoryModuleCatalog,',
      `  ${catalogEntry.marker}`,
      '];',
    ]);
  });

  it('fail naming the file and the marker when the marker is gone', () => {
    const missing: Registration = { ...catalogEntry, file: 'src/service-catalog.ts' };
    expect(() => register('const MODULES = [];', missing, placeholders('inventory'))).toThrow(
      RegistrationError,
    );
    expect(() => register('const MODULES = [];', missing, placeholders('inventory'))).toThrow(
      /src\/service-catalog\.ts has no line '\/\/ npm run new:module adds one entry/,
    );
  });

  it('are one line each, in three files', () => {
    expect(new Set(REGISTRATIONS.map((registration) => registration.file))).toEqual(
      new Set(['oapi/codegen.yaml', 'src/service-catalog.ts', 'src/app.ts']),
    );
    for (const registration of REGISTRATIONS) expect(registration.line).not.toContain('\n');
  });
});
