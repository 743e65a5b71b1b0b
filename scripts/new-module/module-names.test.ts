import { describe, expect, it } from 'vitest';
import {
  defaultResourceName,
  migrationTimestamp,
  nameProblem,
  placeholdersFor,
  pluralOf,
} from './module-names.ts';

describe('module names', () => {
  it.each(['inventory', 'notes', 'v2items', 'ab', 'a'.repeat(20)])('accepts %s', (name) => {
    expect(nameProblem('module', name)).toBeUndefined();
  });

  it.each([
    ['', 'must be 2 to 20 characters'],
    ['x', 'must be 2 to 20 characters'],
    ['a'.repeat(21), 'must be 2 to 20 characters'],
    ['Inventory', 'no hyphens, underscores or capitals'],
    ['stock-items', 'no hyphens, underscores or capitals'],
    ['stock_items', 'no hyphens, underscores or capitals'],
    ['2fa', 'a lower-case letter, then'],
    ['class', 'is a reserved word'],
    ['auth', 'is a reserved word'],
    ['date', 'is a reserved word'],
    ['cursor', 'is a reserved word'],
  ])('refuses %j: %s', (name, reason) => {
    expect(nameProblem('module', name)).toContain(reason);
  });

  it('derives the resource from a plural module name, else takes the name itself', () => {
    expect(defaultResourceName('notes')).toBe('note');
    expect(defaultResourceName('categories')).toBe('category');
    expect(defaultResourceName('inventory')).toBe('inventory');
    expect(defaultResourceName('address')).toBe('address');
    expect(defaultResourceName('bus')).toBe('bus');
  });

  it('makes English plurals by the common rules', () => {
    expect(pluralOf('item')).toBe('items');
    expect(pluralOf('box')).toBe('boxes');
    expect(pluralOf('match')).toBe('matches');
    expect(pluralOf('address')).toBe('addresses');
    expect(pluralOf('category')).toBe('categories');
    expect(pluralOf('day')).toBe('days');
  });

  it('spells every placeholder, articles included', () => {
    expect(
      placeholdersFor({ module: 'inventory', resource: 'item', resources: 'items' }, '20260101000000'),
    ).toEqual({
      __module__: 'inventory',
      __Module__: 'Inventory',
      __MODULE__: 'INVENTORY',
      __resource__: 'item',
      __Resource__: 'Item',
      __RESOURCE__: 'ITEM',
      __resources__: 'items',
      __Resources__: 'Items',
      __RESOURCES__: 'ITEMS',
      __a_resource__: 'an item',
      __A_resource__: 'An item',
      __a_Module__: 'an Inventory',
      __timestamp__: '20260101000000',
    });
    expect(
      placeholdersFor({ module: 'shop', resource: 'book', resources: 'books' }, '1').__a_resource__,
    ).toBe('a book');
  });

  it('dates a migration as dbmate does (UTC, to the second)', () => {
    expect(migrationTimestamp(new Date('2026-12-03T15:04:05.678Z'))).toBe('20261203150405');
  });
});
