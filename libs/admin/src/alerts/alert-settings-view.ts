import type { AlertEvent } from './alert-event';

/** The outcome of the latest webhook POST (or its refusal), so a broken receiver is visible. */
export interface WebhookDelivery {
  /** The alert's id, also sent as X-Contact-Sync-Delivery. */
  deliveryId: string;
  kind: AlertEvent['kind'];
  at: string;
  outcome: 'sent' | 'failed';
  /** Why it failed: a WebhookTargetRefused code, WEBHOOK_HTTP_STATUS or WEBHOOK_REQUEST_FAILED. */
  code?: string;
  /** The receiver's HTTP status, when it answered. */
  httpStatus?: number;
}

export interface AlertSettingsView {
  emails: string[];
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  quietMinutes: number;
  updatedAt: string | null;
  lastWebhookDelivery: WebhookDelivery | null;
}
