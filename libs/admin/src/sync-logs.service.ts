import { LOG_STORE, LogStoreError, type LogStore } from '@app/logstore';
import { SyncRunRepository } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { redactLogText } from './redact-log-text';
import type { SyncLogsQuery } from './run-queries';
import type { CursorPage } from './runs.service';
import { NotFound, ValidationFailed } from './validation';

/** One sync log entry as the API shows it (never the tenant id, never a secret). */
export interface SyncLogView {
  id: string;
  at: Date;
  level: string;
  code: string | null;
  message: string;
  runId: string | null;
  mailboxId: string | null;
}

/**
 * The sync logs the log store keeps (MongoDB or the embedded store, `LOG_RETENTION_DAYS`),
 * readable by the tenant's admins and viewers: newest first, paged, filtered by run, mailbox
 * and level. A run of another tenant answers 404, as everywhere.
 */
@Injectable()
export class SyncLogsService {
  constructor(
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
  ) {}

  async page(tenantId: string, query: SyncLogsQuery): Promise<CursorPage<SyncLogView>> {
    const runId = query.runId?.toLowerCase();
    if (runId && !(await this.runs.get(tenantId, runId))) throw new NotFound('run');
    try {
      const page = await this.logStore.queryLogs(tenantId, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(runId ? { runId } : {}),
        ...(query.mailboxId ? { mailboxId: query.mailboxId.toLowerCase() } : {}),
        ...(query.level ? { level: query.level } : {}),
      });
      return {
        items: page.items.map((e) => ({
          id: e.id,
          at: e.at,
          level: e.level,
          code: e.code ?? null,
          message: redactLogText(e.message),
          runId: e.runId ?? null,
          mailboxId: e.mailboxId ?? null,
        })),
        nextCursor: page.nextCursor ?? null,
      };
    } catch (error) {
      if (error instanceof LogStoreError && error.code === 'INVALID_CURSOR')
        throw new ValidationFailed([{ field: 'cursor', message: 'not a cursor this API issued' }]);
      throw error;
    }
  }
}
