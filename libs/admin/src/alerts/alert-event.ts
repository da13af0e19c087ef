/** What an alert says, as the webhook receives it (JSON) and the e-mail renders it. */
export interface AlertEvent {
  /** The delivery id: the same on every attempt, sent as X-Contact-Sync-Delivery. */
  id: string;
  /** `test`: sent on request from the alert settings (POST /api/alerts/test), never retried. */
  kind: 'run_failed' | 'run_partial' | 'consent_lost' | 'test';
  tenantId: string;
  azureTenantId: string | null;
  at: string;
  summary: string;
  list?: { id: string; name: string };
  run?: {
    id: string;
    mode: string;
    trigger: string;
    status: string;
    mailboxes: { total: number; succeeded: number; failed: number };
    error: { code: string; message: string | null; advice?: string } | null;
  };
  whatToDo?: string;
}
