// Decides once, before any test file, which databases the e2e suite runs on.
import pg from 'pg';

export default async function globalSetup() {
  const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.SPECCHIO_TEST_POSTGRES = url;
  } catch (err) {
    if (process.env.REQUIRE_POSTGRES === '1') {
      throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL does not answer at ${url}: ${err.message}`);
    }
    process.env.SPECCHIO_TEST_POSTGRES = '';
    console.warn(
      `\n*** PostgreSQL does not answer at ${url} (${err.message}).\n` +
        '*** The PostgreSQL half of the e2e suite is SKIPPED; only SQLite runs.\n',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
