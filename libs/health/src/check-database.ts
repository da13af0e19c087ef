import type { DataSource } from 'typeorm';
import { type CheckResult, withTimeout } from './health-check';

export async function checkDatabase(
  dataSource: DataSource,
  timeoutMs = 2_000,
): Promise<CheckResult> {
  try {
    await withTimeout(dataSource.query('SELECT 1'), timeoutMs, 'The database');
    return { status: 'up', type: dataSource.options.type };
  } catch (error) {
    return {
      status: 'down',
      type: dataSource.options.type,
      error: `Database check failed: ${(error as Error).message}`,
    };
  }
}
