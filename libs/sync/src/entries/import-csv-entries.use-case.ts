import type { BlindIndex } from '@app/crypto';
import { parseDefaultPhoneRegion } from '@app/domain';
import type {
  ContactListEntity,
  ContactListRepository,
  ImportMode,
  ListEntryRepository,
} from '@app/persistence';
import { parse } from 'csv-parse';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CsvImportError, type CsvProblem } from './csv-import-error';
import { checkEntryRecord, unknownEntryFields, type CheckedEntry } from './check-entry-record';
import { csvSourceKey } from './csv-source-key';

const MAX_ROWS = 50_000;
/** Rows validated between two yields to the event loop. */
const VALIDATE_CHUNK = 500;
/** Rows per write transaction: short, so the API's writes never wait long (SQLite has one writer). */
const WRITE_CHUNK = 500;
const FEED_CHUNK = 64 * 1024;

export interface CsvImportResult {
  mode: ImportMode;
  /** Rows of the file, now entries of the list. */
  imported: number;
  /** Entries the import removed: all earlier ones (`replace`), or those a row updated (`merge`). */
  replaced: number;
  /** `merge`: earlier entries the file did not name, kept as they were. */
  kept: number;
}

export type CsvEntry = CheckedEntry;

/** Reports progress: rows done of the phase and the total once known. */
export type CsvProgress = (
  phase: 'validating' | 'writing',
  done: number,
  total?: number,
) => Promise<void>;

/**
 * Imports a list's manual contacts from CSV, all or nothing: every row is checked first (the
 * same mapping and normalisation the sync applies), every problem is reported with its line
 * and column, and only a clean file replaces the list's entries.
 * Columns are contact field names (`businessAddress.city` too), plus optional `key` (a stable
 * id; the first e-mail otherwise) and `phoneRegion`. The stored source key is the key's blind
 * index (ADR 0002), never the key itself.
 *
 * Runs in the worker and never holds the event loop or the SQLite writer for long: the file
 * is parsed as a stream and validated in chunks, the rows are staged as a new generation in
 * short transactions, and one short transaction switches the list to it. A crash before the
 * switch leaves the old entries current; the staged rows are removed by the next attempt.
 */
export class ImportCsvEntriesUseCase {
  constructor(
    private readonly entries: ListEntryRepository,
    private readonly lists: ContactListRepository,
    private readonly blindIndex: BlindIndex,
  ) {}

  async execute(
    tenantId: string,
    listId: string,
    csv: string,
    options: { generation?: string; progress?: CsvProgress; mode?: ImportMode } = {},
  ): Promise<CsvImportResult> {
    const entries = await this.validate(tenantId, listId, csv, options.progress);
    return this.apply(
      tenantId,
      listId,
      options.generation ?? randomUUID(),
      entries,
      options.progress,
      options.mode,
    );
  }

  /** Parses and checks the whole file; throws CsvImportError with every problem. */
  async validate(
    tenantId: string,
    listId: string,
    csv: string,
    progress?: CsvProgress,
  ): Promise<CsvEntry[]> {
    const list = await this.list(tenantId, listId);
    const region = parseDefaultPhoneRegion(list.defaultRegion);
    const parser = Readable.from(feed(csv), { objectMode: false }).pipe(
      parse({
        columns: (header: string[]) => header.map((h) => h.trim()),
        skip_empty_lines: true,
        bom: true,
        trim: true,
        relax_column_count: false,
      }),
    );

    const problems: CsvProblem[] = [];
    const entries: CsvEntry[] = [];
    const seen = new Map<string, number>();
    let count = 0;
    try {
      for await (const value of parser) {
        const record = value as Record<string, string>;
        if (count === 0) {
          for (const column of unknownEntryFields(record))
            problems.push({ row: 1, field: column, message: 'not a contact field' });
          if (problems.length > 0) throw new CsvImportError(problems);
        }
        count++;
        if (count > MAX_ROWS)
          throw new CsvImportError([
            { row: MAX_ROWS + 2, field: '(file)', message: `at most ${MAX_ROWS} rows` },
          ]);
        const entry = this.check(record, count + 1, region, seen, problems);
        if (entry) entries.push(entry);
        if (count % VALIDATE_CHUNK === 0) {
          await progress?.('validating', count);
          await yieldToLoop();
        }
      }
    } catch (error) {
      parser.destroy();
      if (error instanceof CsvImportError) throw error;
      const e = error as Error & { lines?: number };
      throw new CsvImportError([{ row: e.lines ?? 0, field: '(file)', message: e.message }]);
    }
    if (count === 0)
      throw new CsvImportError([{ row: 1, field: '(file)', message: 'no rows below the header' }]);
    if (problems.length > 0) throw new CsvImportError(problems);
    await progress?.('validating', count, count);
    return entries;
  }

  /**
   * Stages the entries as `generation` and switches the list to it; `merge` also moves the
   * current entries the file does not name into it, in the switch's transaction. Idempotent
   * for one generation: a retry first removes what an interrupted attempt staged.
   */
  async apply(
    tenantId: string,
    listId: string,
    generation: string,
    entries: readonly CsvEntry[],
    progress?: CsvProgress,
    mode: ImportMode = 'replace',
  ): Promise<CsvImportResult> {
    await this.list(tenantId, listId);
    await this.deleteInChunks(tenantId, listId, { only: generation });
    const now = new Date();
    for (let start = 0; start < entries.length; start += WRITE_CHUNK) {
      const batch = entries.slice(start, start + WRITE_CHUNK).map((entry) => ({
        sourceKey: csvSourceKey(this.blindIndex, tenantId, entry.key),
        emailBlindIndex: entry.email ? this.blindIndex.compute(tenantId, entry.email) : null,
        data: JSON.stringify(entry.fields),
      }));
      await this.entries.stage(tenantId, listId, generation, batch, now);
      await progress?.('writing', Math.min(start + WRITE_CHUNK, entries.length), entries.length);
      await yieldToLoop();
    }

    const switched = await this.entries.switchGeneration(
      tenantId,
      listId,
      generation,
      entries.length,
      mode,
    );
    if (!switched.switched)
      throw new Error(`staged ${switched.staged} of ${entries.length} rows; the import is retried`);
    await this.deleteInChunks(tenantId, listId, { except: generation });
    return { mode, imported: entries.length, replaced: switched.replaced, kept: switched.kept };
  }

  private async list(tenantId: string, listId: string): Promise<ContactListEntity> {
    const list = await this.lists.findInTenant(tenantId, listId);
    if (!list) throw new CsvImportError([{ row: 0, field: 'listId', message: 'no such list' }]);
    return list;
  }

  /** Deletes in short transactions, yielding between them. */
  private async deleteInChunks(
    tenantId: string,
    listId: string,
    generation: { only: string } | { except: string },
  ): Promise<void> {
    while ((await this.entries.deleteSome(tenantId, listId, generation, WRITE_CHUNK)) > 0)
      await yieldToLoop();
  }

  private check(
    record: Record<string, string>,
    row: number,
    region: ReturnType<typeof parseDefaultPhoneRegion>,
    seen: Map<string, number>,
    problems: CsvProblem[],
  ): CsvEntry | undefined {
    const checked = checkEntryRecord(record, region);
    const rowProblems: CsvProblem[] = checked.problems.map((p) => ({ row, ...p }));
    const key = checked.key;
    if (key && seen.has(key))
      rowProblems.push({
        row,
        field: record.key ? 'key' : 'emailAddresses',
        message: `same key as line ${seen.get(key)}`,
      });
    else if (key) seen.set(key, row);
    problems.push(...rowProblems);
    return rowProblems.length === 0 ? checked.entry : undefined;
  }
}

/** The file in slices, so the parser works (and the loop breathes) a slice at a time. */
function* feed(csv: string): Generator<string> {
  for (let start = 0; start < csv.length; start += FEED_CHUNK)
    yield csv.slice(start, start + FEED_CHUNK);
}
