/**
 * `node --import tsx scripts/with-db.ts CMD ARGS…`: runs CMD with DATABASE_URL pointing at the
 * configured or embedded PostgreSQL, migrated first, so any CLI command works on a fresh checkout.
 */
import { prepareDatabase } from './lib/prepare';
import { run } from './lib/run';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node --import tsx scripts/with-db.ts COMMAND [ARGS…]');
  process.exit(2);
}
const db = await prepareDatabase();
let code = 1;
try {
  code = await run(command, args, { env: { ...process.env, DATABASE_URL: db.url } });
} finally {
  await db.release();
}
process.exit(code);
