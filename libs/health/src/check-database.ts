import type { DatabaseProbe } from '@app/persistence';
import { type CheckResult, withTimeout } from './health-check';

export async function checkDatabase(probe: DatabaseProbe, timeoutMs = 2_000): Promise<CheckResult> {
  try {
    await withTimeout(probe.ping(), timeoutMs, 'The database');
    return { status: 'up', type: probe.kind };
  } catch (error) {
    return {
      status: 'down',
      type: probe.kind,
      error: `Database check failed: ${(error as Error).message}`,
    };
  }
}
