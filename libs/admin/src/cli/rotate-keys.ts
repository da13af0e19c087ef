import { loadConfigOrExit } from '@app/config';
import { rotateAllKeys } from '../key-rotation/rotate-all-keys';

/**
 * `npm run keys:rotate`: re-encrypts every encrypted value the product keeps with
 * ENCRYPTION_ACTIVE_KEY — SQL columns, the log store's snapshots, the Redis token cache and
 * legacy alert settings. Safe while the product runs; interrupted, it resumes on the next run.
 * Once it reports every place done, older keys can be removed from ENCRYPTION_KEYS (keep the
 * ENCRYPTION_BLIND_INDEX_KEY one).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const report = await rotateAllKeys(config, (line) => process.stdout.write(`${line}\n`));
  for (const r of report.sql) {
    process.stdout.write(
      `done ${r.table}.${r.column}: ${r.reencrypted} re-encrypted, ${r.changedMeanwhile} changed meanwhile, ${r.scanned} scanned\n`,
    );
  }
  const { logStore, tokenCache, legacyAlertSettings } = report;
  process.stdout.write(
    `done log store snapshots: ${logStore.reencrypted} re-encrypted, ${logStore.changedMeanwhile} changed meanwhile, ${logStore.scanned} scanned\n` +
      `done redis token cache: ${tokenCache.reencrypted} re-encrypted, ${tokenCache.dropped} dropped (fetched again when needed), ${tokenCache.scanned} scanned\n` +
      `done redis legacy alert settings: ${legacyAlertSettings.reencrypted} re-encrypted, ${legacyAlertSettings.scanned} scanned\n` +
      `all values are now under key "${report.activeKeyId}"\n`,
  );
}

main().catch((error: Error & { code?: string }) => {
  process.stderr.write(
    `key rotation failed${error.code ? ` (${error.code})` : ''}: ${error.message}\n`,
  );
  process.exit(1);
});
