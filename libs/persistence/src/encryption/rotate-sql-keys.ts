import type { DatabaseConfig } from '@app/config';
import type { FieldCipher } from '@app/crypto';
import { openDataSource } from '../open-data-source';
import { rotateKeys, type RotationOptions, type RotationProgress } from './rotate-keys';

/** rotateKeys on a connection of its own, for a command-line run (`npm run keys:rotate`). */
export async function rotateSqlKeys(
  database: DatabaseConfig,
  cipher: FieldCipher,
  options: RotationOptions = {},
): Promise<RotationProgress[]> {
  const dataSource = await openDataSource(database);
  try {
    return await rotateKeys(dataSource, cipher, options);
  } finally {
    await dataSource.destroy();
  }
}
