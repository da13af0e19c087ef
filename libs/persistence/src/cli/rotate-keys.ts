import { loadConfigOrExit } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import { rotateKeys } from '../encryption/rotate-keys';
import { openDataSource } from '../open-data-source';

/**
 * `npm run keys:rotate`: re-encrypts every stored secret and contact field with
 * ENCRYPTION_ACTIVE_KEY. Safe while the product runs; interrupted, it resumes on the next run.
 * Once it reports 0 left, older keys can be removed from ENCRYPTION_KEYS (keep the
 * ENCRYPTION_BLIND_INDEX_KEY one).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataSource = await openDataSource(config.database);
  try {
    const cipher = new FieldCipher(new KeyRing(config.encryption));
    const results = await rotateKeys(dataSource, cipher, {
      onBatch: (p) =>
        process.stdout.write(
          `${p.table}.${p.column}: scanned ${p.scanned}, re-encrypted ${p.reencrypted}\n`,
        ),
    });
    for (const r of results) {
      process.stdout.write(
        `done ${r.table}.${r.column}: ${r.reencrypted} re-encrypted, ${r.changedMeanwhile} changed meanwhile, ${r.scanned} scanned\n`,
      );
    }
    process.stdout.write(`all values are now under key "${config.encryption.activeKeyId}"\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error & { code?: string }) => {
  process.stderr.write(
    `key rotation failed${error.code ? ` (${error.code})` : ''}: ${error.message}\n`,
  );
  process.exit(1);
});
