export type SchemaLintRule =
  | 'nullable-unique'
  | 'multiple-cascade-paths'
  | 'timestamp-type'
  | 'index-key-too-long'
  | 'case-sensitive-unique';

/** One thing SQL Server rejects or treats differently from PostgreSQL and SQLite. */
export interface SchemaLintProblem {
  rule: SchemaLintRule;
  /** Entity (class) name the problem belongs to. */
  entity: string;
  /** Names the table, index and columns, and says how to fix it. */
  message: string;
}
