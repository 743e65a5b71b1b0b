import { describe, expect, it } from 'vitest';

import { MigrationFileError, parseMigration } from './migration-file.ts';

describe('parseMigration', () => {
  it('splits the up and down sections and takes the version from the file name', () => {
    const migration = parseMigration(
      '20240101120000_create_things.sql',
      '-- Things.\n\n-- migrate:up\nCREATE TABLE things (id int);\n\n-- migrate:down\nDROP TABLE things;\n',
    );
    expect(migration).toEqual({
      version: '20240101120000',
      fileName: '20240101120000_create_things.sql',
      up: 'CREATE TABLE things (id int);',
      down: 'DROP TABLE things;',
      transaction: true,
    });
  });

  it('honours transaction:false on the up line, among other options and spacing dbmate accepts', () => {
    const contents =
      '--migrate:up   transaction:false  owner:ops\nCREATE INDEX CONCURRENTLY i ON t (c);\n--  migrate:down\n';
    expect(parseMigration('7_index.sql', contents)).toMatchObject({
      transaction: false,
      up: 'CREATE INDEX CONCURRENTLY i ON t (c);',
    });
  });

  it('runs in a transaction unless the option says exactly false', () => {
    const contents = '-- migrate:up transaction:no\nSELECT 1;\n-- migrate:down\n';
    expect(parseMigration('7_x.sql', contents).transaction).toBe(true);
  });

  it('accepts an empty down section', () => {
    expect(parseMigration('1_x.sql', '-- migrate:up\nSELECT 1;\n-- migrate:down\n').down).toBe('');
  });

  it.each([
    ['create_things.sql', '-- migrate:up\n-- migrate:down\n', /file name must be <version>_<name>\.sql/],
    ['2024_things.SQL', '-- migrate:up\n-- migrate:down\n', /file name must be/],
    ['1_x.sql', 'CREATE TABLE t (id int);\n', /no '-- migrate:up' section/],
    ['1_x.sql', '-- migrate:up\nSELECT 1;\n', /no '-- migrate:down' section/],
    ['1_x.sql', '-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n', /comes before/],
    ['1_x.sql', 'SELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n', /statements before/],
    [
      '1_x.sql',
      '-- migrate:up\nSELECT 1;\n-- migrate:down\n-- migrate:up\nSELECT 2;\n-- migrate:down\n',
      /more than one/,
    ],
    ['1_x.sql', '-- migrate:upgrade\nSELECT 1;\n-- migrate:down\n', /no '-- migrate:up' section/],
  ])('rejects %s with %j, naming the file', (fileName, contents, reason) => {
    const parse = () => parseMigration(fileName, contents);
    expect(parse).toThrow(MigrationFileError);
    expect(parse).toThrow(reason);
    expect(parse).toThrow(`Migration ${fileName}:`);
  });
});
