import { loadConfigOrExit } from '@app/config';
import { openDataSource } from '../open-data-source';
import { runMigrations } from '../run-migrations';

/** `npm run db:migrate [-- --down]`: applies pending migrations, or reverts the last one. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataSource = await openDataSource(config.database);
  try {
    if (process.argv.includes('--down')) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    } else {
      const { applied } = await runMigrations(dataSource, config.database, {
        lockTimeoutMs: config.migrations.lockTimeoutMs,
      });
      process.stdout.write(
        applied.length ? `applied: ${applied.join(', ')}\n` : 'schema up to date\n',
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error & { code?: string }) => {
  process.stderr.write(
    `migration failed${error.code ? ` (${error.code})` : ''}: ${error.message}\n`,
  );
  process.exit(1);
});
