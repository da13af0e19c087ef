import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { systemHostResolver, WEBHOOK_HOST_RESOLVER, type HostResolver } from '@app/outbound';
import { postToCheckedTarget } from '@app/outbound';
import { WebhookTargetPolicy } from '@app/outbound';
import { WebhookTargetRefused } from '@app/outbound';
import type { AlertEvent } from './alert-event';

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw request body, keyed with the secret>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-contact-sync-signature';

// A receiver only has to acknowledge; its answer is not used, so little of it is read.
const WEBHOOK_TIMEOUT_MS = 5_000;
const WEBHOOK_MAX_RESPONSE_BYTES = 4_096;

export type WebhookResult =
  { ok: true; httpStatus: number } | { ok: false; code: string; httpStatus?: number };

/** Signed POSTs of alerts to the tenant's receiver, to addresses the target policy passed. */
@Injectable()
export class WebhookChannel {
  private readonly logger = new Logger('AlertWebhook');
  private readonly ca: string[] | undefined;
  readonly targets: WebhookTargetPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(WEBHOOK_HOST_RESOLVER) resolver?: HostResolver,
  ) {
    const { webhookCaFile, webhookAllowHttp, webhookAllowPrivateNetworks } = config.admin.alerts;
    this.ca = webhookCaFile
      ? [...rootCertificates, readFileSync(webhookCaFile, 'utf8')]
      : undefined;
    this.targets = new WebhookTargetPolicy(
      { allowHttp: webhookAllowHttp, allowPrivateNetworks: webhookAllowPrivateNetworks },
      resolver ?? systemHostResolver,
    );
  }

  /**
   * The URL is checked again here, not only when saved: its name may point elsewhere by now.
   * The POST then goes to exactly the addresses that passed; a refused target is never
   * contacted. `body` is the stored event JSON, the same bytes on every attempt.
   */
  async send(url: string, secret: string, event: AlertEvent, body: string): Promise<WebhookResult> {
    const signature = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    const log = { tenantId: event.tenantId, deliveryId: event.id };
    try {
      const target = await this.targets.check(url);
      const res = await postToCheckedTarget(target, {
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: `sha256=${signature}`,
          'x-contact-sync-event': event.kind,
          'x-contact-sync-delivery': event.id,
        },
        body,
        ca: this.ca,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        maxResponseBytes: WEBHOOK_MAX_RESPONSE_BYTES,
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status };
      // Redirects are not followed: a 3xx is a failed delivery like a 4xx or 5xx.
      this.logger.warn({ ...log, status: res.status }, 'alert webhook answered with an error');
      return { ok: false, code: 'WEBHOOK_HTTP_STATUS', httpStatus: res.status };
    } catch (error) {
      if (error instanceof WebhookTargetRefused) {
        this.logger.warn(
          { ...log, code: error.code, reason: error.message },
          'alert webhook not sent: target address refused',
        );
        return { ok: false, code: error.code };
      }
      this.logger.warn({ ...log, err: error }, 'alert webhook failed');
      return { ok: false, code: 'WEBHOOK_REQUEST_FAILED' };
    }
  }
}
