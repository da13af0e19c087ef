import type { BlindIndex } from '@app/crypto';
import {
  isMappingTarget,
  MANUAL_ENTRY_MAPPING,
  mapSourceRecord,
  normalizeContact,
  parseDefaultPhoneRegion,
} from '@app/domain';
import {
  ContactListEntity,
  ListEntryEntity,
  withTransaction,
  type RowCipher,
} from '@app/persistence';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { CsvImportError, type CsvProblem } from './csv-import-error';
import { csvSourceKey } from './csv-source-key';

const MAX_ROWS = 50_000;
const MAX_CELL = 1_024;
const NAME_FIELDS = ['displayName', 'givenName', 'surname', 'companyName', 'emailAddresses'];

export interface CsvImportResult {
  imported: number;
  replaced: number;
}

/**
 * Imports a list's manual contacts from CSV, all or nothing: every row is checked first (the
 * same mapping and normalisation the sync applies), every problem is reported with its line
 * and column, and only a clean file replaces the list's entries, in one transaction.
 * Columns are contact field names (`businessAddress.city` too), plus optional `key` (a stable
 * id; the first e-mail otherwise) and `phoneRegion`. The stored source key is the key's blind
 * index (ADR 0001), never the key itself.
 */
export class ImportCsvEntriesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: RowCipher,
    private readonly blindIndex: BlindIndex,
  ) {}

  async execute(tenantId: string, listId: string, csv: string): Promise<CsvImportResult> {
    const list = await this.dataSource
      .getRepository(ContactListEntity)
      .findOne({ where: { id: listId, tenantId } });
    if (!list) throw new CsvImportError([{ row: 0, field: 'listId', message: 'no such list' }]);
    const region = parseDefaultPhoneRegion(list.defaultRegion);

    let records: Record<string, string>[];
    try {
      records = parse(csv, {
        columns: (header: string[]) => header.map((h) => h.trim()),
        skip_empty_lines: true,
        bom: true,
        trim: true,
        relax_column_count: false,
      });
    } catch (error) {
      const e = error as Error & { lines?: number };
      throw new CsvImportError([{ row: e.lines ?? 0, field: '(file)', message: e.message }]);
    }
    if (records.length === 0)
      throw new CsvImportError([{ row: 1, field: '(file)', message: 'no rows below the header' }]);
    if (records.length > MAX_ROWS)
      throw new CsvImportError([
        { row: MAX_ROWS + 2, field: '(file)', message: `at most ${MAX_ROWS} rows` },
      ]);

    const problems: CsvProblem[] = [];
    const columns = Object.keys(records[0]);
    for (const column of columns) {
      if (column !== 'key' && !isMappingTarget(column))
        problems.push({ row: 1, field: column, message: 'not a contact field' });
    }
    if (problems.length > 0) throw new CsvImportError(problems);

    const entries: Array<{ key: string; fields: Record<string, string>; email?: string }> = [];
    const seen = new Map<string, number>();
    records.forEach((record, index) => {
      const row = index + 2;
      const rowProblems: CsvProblem[] = [];
      for (const [field, value] of Object.entries(record)) {
        if (value.length > MAX_CELL)
          rowProblems.push({ row, field, message: `longer than ${MAX_CELL} characters` });
      }
      const { key: explicitKey, ...fields } = Object.fromEntries(
        Object.entries(record).filter(([, v]) => v !== ''),
      ) as Record<string, string>;
      const draft = mapSourceRecord(
        { ...fields, id: explicitKey ?? 'pending' },
        { sourceId: 'csv', sourceKind: 'manual', mapping: MANUAL_ENTRY_MAPPING },
      );
      const contact = draft ? normalizeContact(draft, { defaultRegion: region }) : undefined;
      for (const issue of [...(contact?.phoneIssues ?? []), ...(contact?.fieldIssues ?? [])]) {
        rowProblems.push({
          row,
          field: issue.field,
          message: `${issue.reason.replace('-', ' ')}: "${issue.value}"`,
        });
      }
      if (!NAME_FIELDS.some((f) => fields[f]))
        rowProblems.push({
          row,
          field: 'displayName',
          message: 'a row needs a name, a company or an e-mail',
        });
      const email = contact?.emailAddresses[0]?.address.toLowerCase();
      const key = (explicitKey ?? email)?.trim().toLowerCase();
      if (!key)
        rowProblems.push({
          row,
          field: 'key',
          message: 'needs a key column value or an e-mail address',
        });
      else if (seen.has(key))
        rowProblems.push({
          row,
          field: explicitKey ? 'key' : 'emailAddresses',
          message: `same key as line ${seen.get(key)}`,
        });
      else seen.set(key, row);
      problems.push(...rowProblems);
      if (rowProblems.length === 0 && key) entries.push({ key, fields, email });
    });
    if (problems.length > 0) throw new CsvImportError(problems);

    return withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(ListEntryEntity);
      const replaced = await repo.delete({ tenantId, listId });
      for (let start = 0; start < entries.length; start += 200) {
        const batch = entries.slice(start, start + 200).map((entry) => {
          const row = Object.assign(new ListEntryEntity(), {
            tenantId,
            listId,
            sourceKey: csvSourceKey(this.blindIndex, tenantId, entry.key),
            emailBlindIndex: entry.email ? this.blindIndex.compute(tenantId, entry.email) : null,
          });
          this.rows.seal(ListEntryEntity, row, 'dataEncrypted', JSON.stringify(entry.fields));
          return row;
        });
        await repo.save(batch);
      }
      return { imported: entries.length, replaced: replaced.affected ?? 0 };
    });
  }
}
