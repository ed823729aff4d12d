/** Applies db/migrations to DATABASE_URL (`npm run db:migrate`; also run by `npm start` and the tests). */
import { migrateDatabase } from './lib/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Invalid environment: DATABASE_URL is not set');
  process.exit(1);
}
await migrateDatabase(url);
console.log('[db] migrations applied');
