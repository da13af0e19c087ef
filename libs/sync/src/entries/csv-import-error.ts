import { CodedError } from '@app/domain';

export interface CsvProblem {
  /** 1-based line of the CSV (the header is line 1). */
  row: number;
  field: string;
  message: string;
}

/** The CSV was refused as a whole: nothing was imported. */
export class CsvImportError extends CodedError {
  constructor(readonly problems: CsvProblem[]) {
    super(
      'csv_invalid',
      `CSV refused, nothing imported: ${problems.length} problem(s); first: line ${problems[0]?.row} ${problems[0]?.field}: ${problems[0]?.message}`,
      { status: 400, details: { problems } },
    );
  }
}
