import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from './render-template.ts';

const PLACEHOLDERS = { __module__: 'inventory', __resources__: 'items', __timestamp__: '20260101000000' };

describe('renderTemplate', () => {
  it('replaces every placeholder, also where they touch each other in a file name', () => {
    expect(renderTemplate('__timestamp___create___resources__.sql', PLACEHOLDERS, 't')).toBe(
      '20260101000000_create_items.sql',
    );
    expect(renderTemplate('src/__module__/__module__-api.ts', PLACEHOLDERS, 't')).toBe(
      'src/inventory/inventory-api.ts',
    );
  });

  it('refuses a placeholder it does not know, naming the template', () => {
    expect(() => renderTemplate('a __modul__ b', PLACEHOLDERS, 'x.ts.tmpl')).toThrow(
      new TemplateError('x.ts.tmpl: unknown placeholder __modul__'),
    );
  });

  it('leaves other underscores alone', () => {
    expect(renderTemplate('snake_case and _x_ and __', PLACEHOLDERS, 't')).toBe('snake_case and _x_ and __');
  });
});
