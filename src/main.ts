import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { loadConfig, ConfigError } from './config/app-config.js';
import { runMigrations } from './database/migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  await runMigrations(config);
  const app = await createApp(config);
  await app.listen({ port: config.env.PORT, host: config.env.HOST });
  new Logger('Specchio').log(`listening on ${config.publicUrl} (database: ${config.databaseKind})`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Specchio failed to start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
