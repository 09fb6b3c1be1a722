import { TestPostgres } from './services.ts';

/**
 * Global setup of the `server-pg` project: one PostgreSQL cluster for the whole server suite,
 * each test server getting a database of its own (tests/helpers/server.ts, TEST_STORE).
 */
export default async function setup(): Promise<() => void> {
  const pgsql = await TestPostgres.start();
  process.env.TEST_PG_URL = pgsql.url;
  return () => pgsql.destroy();
}
