import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  AlertOutboxRepository,
  type AlertAttemptRecord,
  type AlertChannelState,
  type AlertDeliveryEntity,
} from '@app/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlertEvent } from './alert-event';
import { AlertSettingsService } from './alert-settings.service';
import { EmailChannel } from './email-channel';
import { WebhookChannel } from './webhook-channel';

/** Attempts per alert before it is given up (the last about 3 hours after the first). */
export const ALERT_MAX_ATTEMPTS = 10;
const BATCH = 50;

/** The wait after the n-th failed attempt: 30 s, doubling, at most an hour. */
export function alertRetryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** What one pass did with one alert. */
export interface AlertAttempt {
  deliveryId: string;
  tenantId: string;
  kind: AlertEvent['kind'];
  email: AlertChannelState;
  webhook: AlertChannelState;
  state: AlertDeliveryEntity['state'];
}

/**
 * Sends the outbox's due alerts: each row is leased (ALERT_DELIVERY_LEASE_SECONDS) so two
 * deliverers never send it at once, its channels still pending are tried, and only then is the
 * outcome written. A crash after sending and before writing leaves the lease to expire and the
 * alert to be sent again, with the same id: at most a duplicate, never a loss. A failed channel
 * is tried again later (a channel already sent is not); the receiver dedupes by the id.
 */
@Injectable()
export class AlertDeliverer {
  private readonly logger = new Logger('AlertDeliverer');

  constructor(
    @Inject(AlertOutboxRepository) private readonly outbox: AlertOutboxRepository,
    @Inject(AlertSettingsService) private readonly settings: AlertSettingsService,
    @Inject(WebhookChannel) private readonly webhook: WebhookChannel,
    @Inject(EmailChannel) private readonly email: EmailChannel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Delivers what is due at `now`, in batches until nothing due is left. */
  async deliverDue(now = new Date()): Promise<AlertAttempt[]> {
    const done: AlertAttempt[] = [];
    for (;;) {
      const leaseUntil = new Date(
        now.getTime() + this.config.admin.alerts.deliveryLeaseSeconds * 1000,
      );
      const rows = await this.outbox.claimDue(now, leaseUntil, BATCH);
      for (const row of rows) done.push(await this.attempt(row, now));
      if (rows.length < BATCH) return done;
    }
  }

  private async attempt(row: AlertDeliveryEntity, now: Date): Promise<AlertAttempt> {
    const event = JSON.parse(row.payload) as AlertEvent;
    const channels = await this.settings.channels(row.tenantId);
    const log = { tenantId: row.tenantId, deliveryId: row.id, kind: row.kind };
    const record: AlertAttemptRecord = {
      state: 'pending',
      emailState: row.emailState,
      webhookState: row.webhookState,
      attempts: row.attempts + 1,
      nextAttemptAt: now,
      lastAttemptAt: new Date(),
    };
    if (row.emailState === 'pending' || row.emailState === 'failed') {
      // Recipients removed since: nothing left to send on this channel.
      if (!channels?.emails.length || !this.email.configured) record.emailState = 'none';
      else {
        const sent = await this.email.send(channels.emails, event);
        record.emailState = sent ? 'sent' : 'failed';
        record.emailCode = sent ? null : 'SMTP_FAILED';
      }
    }
    if (row.webhookState === 'pending' || row.webhookState === 'failed') {
      if (!channels?.webhook) record.webhookState = 'none';
      else {
        const result = await this.webhook.send(
          channels.webhook.url,
          channels.webhook.secret,
          event,
          row.payload,
        );
        record.webhookState = result.ok ? 'sent' : 'failed';
        record.webhookAt = new Date();
        record.webhookCode = result.ok ? null : result.code;
        record.webhookHttpStatus = result.httpStatus ?? null;
      }
    }
    const failed = record.emailState === 'failed' || record.webhookState === 'failed';
    if (!failed) record.state = 'delivered';
    else if (record.attempts >= ALERT_MAX_ATTEMPTS) {
      record.state = 'failed';
      this.logger.warn(
        { ...log, attempts: record.attempts },
        'alert given up after the last attempt',
      );
    } else record.nextAttemptAt = new Date(now.getTime() + alertRetryDelayMs(record.attempts));
    if (!(await this.outbox.recordAttempt(row, record)))
      this.logger.warn(
        log,
        'alert attempt not recorded: its lease expired and another deliverer took it',
      );
    return {
      deliveryId: row.id,
      tenantId: row.tenantId,
      kind: event.kind,
      email: record.emailState,
      webhook: record.webhookState,
      state: record.state,
    };
  }
}
