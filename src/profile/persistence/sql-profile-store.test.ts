import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { profileStoreContract } from '../../../test/support/profile-store-contract.ts';
import { createSqlProfileStore } from './sql-profile-store.ts';

describeEachDatabase('sql profile store', (db) => {
  profileStoreContract({
    pool: () => db.pool,
    storeOn: createSqlProfileStore,
    empty: () => db.pool.writer().query('DELETE FROM profiles'),
  });
});
