import { TenantRepository, UnitOfWork } from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import type { AlertEvent } from './alert-event';
import { AlertSettingsService } from './alert-settings.service';
import { EmailChannel } from './email-channel';
import { WebhookChannel } from './webhook-channel';

/** What a test delivery did on each channel. */
export interface AlertTestResult {
  deliveryId: string;
  /** `none`: no recipient saved, or no SMTP server configured (`emailConfigured: false`). */
  email: { outcome: 'sent' | 'failed' | 'none'; recipients: number; configured: boolean };
  /** `none`: no webhook saved. `code` and `httpStatus` say why a POST failed. */
  webhook: { outcome: 'sent' | 'failed' | 'none'; code?: string; httpStatus?: number };
}

/**
 * Sends one test alert now, on the channels the tenant saved, and says how each went, so an
 * admin knows the receiver and the mailbox work before a real failure. Not through the outbox:
 * a test is not retried, and its outcome is the answer. The webhook is signed and sent to
 * checked addresses exactly as a real alert (kind `test`). Audited as `alerts.test`.
 */
@Injectable()
export class AlertTestDelivery {
  constructor(
    @Inject(AlertSettingsService) private readonly settings: AlertSettingsService,
    @Inject(EmailChannel) private readonly email: EmailChannel,
    @Inject(WebhookChannel) private readonly webhook: WebhookChannel,
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
  ) {}

  async send(actor: Actor): Promise<AlertTestResult> {
    const [channels, tenant] = await Promise.all([
      this.settings.channels(actor.tenantId),
      this.tenants.findById(actor.tenantId),
    ]);
    const event: AlertEvent = {
      id: randomUUID(),
      kind: 'test',
      tenantId: actor.tenantId,
      azureTenantId: tenant?.azureTenantId ?? '',
      at: new Date().toISOString(),
      summary: 'A test alert from the contact sync fleet: this channel works.',
      whatToDo: 'Nothing: an administrator sent this test from the alert settings.',
    };
    const emails = channels?.emails ?? [];
    const result: AlertTestResult = {
      deliveryId: event.id,
      email: { outcome: 'none', recipients: emails.length, configured: this.email.configured },
      webhook: { outcome: 'none' },
    };
    if (emails.length && this.email.configured)
      result.email.outcome = (await this.email.send(emails, event)) ? 'sent' : 'failed';
    if (channels?.webhook) {
      const r = await this.webhook.send(
        channels.webhook.url,
        channels.webhook.secret,
        event,
        JSON.stringify(event),
      );
      result.webhook = r.ok
        ? { outcome: 'sent', httpStatus: r.httpStatus }
        : {
            outcome: 'failed',
            code: r.code,
            ...(r.httpStatus !== undefined ? { httpStatus: r.httpStatus } : {}),
          };
    }
    await this.uow.run((tx) =>
      tx.audit.record(
        actor,
        'alerts.test',
        { type: 'alert_settings', id: actor.tenantId },
        { email: result.email.outcome, webhook: result.webhook.outcome },
      ),
    );
    return result;
  }
}
