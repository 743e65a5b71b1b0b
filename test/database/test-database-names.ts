import { randomBytes } from 'node:crypto';

/** Every database the test harness creates, and the only ones it will ever drop, start with this. */
export const TEST_DATABASE_PREFIX = 'nbt_test_';

const SAFE_NAME = /^[a-z0-9_]{1,63}$/;
// Databases owned by one test process: nbt_test_<pid>_<anything>. Templates carry no pid.
const OWNED_NAME = /^nbt_test_(\d+)_/;

/** Refuses any name the harness did not make, before it reaches CREATE, DROP or ALTER DATABASE. */
export function assertTestDatabaseName(name: string): string {
  if (!name.startsWith(TEST_DATABASE_PREFIX) || !SAFE_NAME.test(name)) {
    throw new Error(
      `Refusing to create or drop database "${name}": test databases are named ${TEST_DATABASE_PREFIX}* ` +
        '(lower case letters, digits and underscores, at most 63)',
    );
  }
  return name;
}

export function newTestDatabaseName(): string {
  return assertTestDatabaseName(`${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`);
}

export function templateDatabaseName(fingerprint: string): string {
  return assertTestDatabaseName(`${TEST_DATABASE_PREFIX}template_${fingerprint.slice(0, 16)}`);
}

/** Where a template is migrated before it is renamed into place; owned by this process until then. */
export function templateBuildName(fingerprint: string): string {
  return assertTestDatabaseName(`${TEST_DATABASE_PREFIX}${process.pid}_build_${fingerprint.slice(0, 16)}`);
}

/** The pid of the test process that owns the database, if the name says. */
export function ownerPid(name: string): number | undefined {
  const match = OWNED_NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
