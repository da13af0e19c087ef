import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AlertEvent } from './alert-event';

/** Alert e-mails through SMTP_URL. */
@Injectable()
export class EmailChannel implements OnApplicationShutdown {
  private readonly logger = new Logger('AlertEmail');
  private mailer: Transporter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return !!this.config.admin.alerts.smtpUrl;
  }

  /** True when the SMTP server accepted the message. */
  async send(to: string[], event: AlertEvent): Promise<boolean> {
    const smtp = this.config.admin.alerts.smtpUrl;
    if (!smtp) return false;
    this.mailer ??= createTransport(smtp);
    const lines = [
      event.summary,
      '',
      ...(event.run
        ? [
            `Run: ${event.run.id} (${event.run.trigger}, ${event.run.status})`,
            `Mailboxes: ${event.run.mailboxes.succeeded} succeeded, ${event.run.mailboxes.failed} failed of ${event.run.mailboxes.total}`,
            ...(event.run.error
              ? [`Error: ${event.run.error.code} ${event.run.error.message ?? ''}`]
              : []),
          ]
        : []),
      `Tenant: ${event.azureTenantId ?? `${event.tenantId} (EWS only)`}`,
      `Alert: ${event.id}`,
      '',
      `What to do: ${event.whatToDo ?? ''}`,
    ];
    try {
      await this.mailer.sendMail({
        from: this.config.admin.alerts.from,
        to,
        subject: `[Contact sync] ${event.summary}`.slice(0, 200),
        text: lines.join('\n'),
        headers: { 'X-Contact-Sync-Alert': event.kind, 'X-Contact-Sync-Delivery': event.id },
      });
      return true;
    } catch (error) {
      this.logger.warn(
        { tenantId: event.tenantId, deliveryId: event.id, err: error },
        'alert e-mail failed',
      );
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }
}
