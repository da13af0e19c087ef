/** Errors grouped by code (entries without a code are grouped under `UNCODED`). */
export interface ErrorCodeSummary {
  code: string;
  count: number;
  mailboxes: number;
  lastAt: Date;
  lastMessage: string;
}
