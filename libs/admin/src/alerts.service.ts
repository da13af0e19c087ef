import { APP_CONFIG, type AppConfig } from '@app/config';
import { FieldCipher } from '@app/crypto';
import {
  AlertSettingsEntity,
  ContactListEntity,
  RowCipher,
  SyncRunEntity,
  TenantEntity,
  withTransaction,
} from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { z } from 'zod/v4';
import { audit, type Actor } from './actor';
import { ERROR_ADVICE } from './runs.service';
import { ValidationFailed, type FieldProblem } from './validation';
import {
  systemHostResolver,
  WEBHOOK_HOST_RESOLVER,
  type HostResolver,
} from './webhooks/host-resolver';
import { postToCheckedTarget } from './webhooks/post-to-checked-target';
import { WebhookTargetPolicy } from './webhooks/webhook-target-policy';
import { WebhookTargetRefused } from './webhooks/webhook-target-refused';

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw request body, keyed with the secret>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-contact-sync-signature';

export const alertSettingsSchema = z.strictObject({
  /** Who receives alert e-mails; empty = no e-mail. */
  emails: z
    .array(z.email('expected an e-mail address').max(320, 'at most 320 characters'))
    .max(20, 'at most 20 recipients')
    .default([]),
  /**
   * https URL that receives a signed POST per alert; null = no webhook. Its host must resolve to
   * public addresses only (checked by AlertsService when saved and again before each POST).
   */
  webhookUrl: z
    .string()
    .max(2000, 'at most 2000 characters')
    .refine((v) => {
      try {
        const u = new URL(v);
        // http passes here only to be refused (or allowed for local testing) by the target policy.
        return (
          ['https:', 'http:'].includes(u.protocol) &&
          u.hostname !== '' &&
          !u.username &&
          !u.password
        );
      } catch {
        return false;
      }
    }, 'expected an https:// URL without credentials')
    .nullable()
    .default(null),
  /** HMAC key for the webhook signature (write-only); omitted = keep the stored one. */
  webhookSecret: z
    .string()
    .min(16, 'at least 16 characters')
    .max(256, 'at most 256 characters')
    .optional(),
  /** A list that fails again within this many minutes is not alerted again. */
  quietMinutes: z
    .number('expected an integer from 1 to 1440')
    .int('expected an integer from 1 to 1440')
    .min(1, 'at least 1 minute')
    .max(1440, 'at most 1440 minutes (a day)'),
});
export type AlertSettingsInput = z.output<typeof alertSettingsSchema>;

/** The settings as an earlier version kept them in Redis; read once and moved to SQL. */
interface LegacyRedisSettings {
  emails: string[];
  webhookUrl: string | null;
  /** Encrypted with the field cipher, bound to the tenant (rowId = tenant id). */
  webhookSecretEncrypted: string | null;
  quietMinutes: number;
  updatedAt: string;
}

export interface AlertSettingsView {
  emails: string[];
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  quietMinutes: number;
  updatedAt: string | null;
  /** The outcome of the latest webhook POST (or its refusal), so a broken receiver is visible. */
  lastWebhookDelivery: WebhookDelivery | null;
}

export interface WebhookDelivery {
  /** The event id, also sent as X-Contact-Sync-Delivery. */
  deliveryId: string;
  kind: AlertEvent['kind'];
  at: string;
  outcome: 'sent' | 'failed';
  /** Why it failed: a WebhookTargetRefused code, WEBHOOK_HTTP_STATUS or WEBHOOK_REQUEST_FAILED. */
  code?: string;
  /** The receiver's HTTP status, when it answered. */
  httpStatus?: number;
}

export interface AlertEvent {
  id: string;
  kind: 'run_failed' | 'run_partial' | 'consent_lost';
  tenantId: string;
  azureTenantId: string;
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

const DEFAULT_QUIET_MINUTES = 60;
// A receiver only has to acknowledge; its answer is not used, so little of it is read.
const WEBHOOK_TIMEOUT_MS = 5_000;
const WEBHOOK_MAX_RESPONSE_BYTES = 4_096;

/**
 * Alerts per tenant: settings (e-mail recipients, webhook URL and secret, quiet period), kept in
 * SQL (alert_settings; the webhook secret sealed with RowCipher), because Redis may run without
 * persistence. Redis keeps only what may be lost: the check cursor (lost: the runs that ended
 * during one pass interval are not alerted), the per-run and quiet-period claims (lost: an
 * alert may be sent once more) and the last webhook delivery's outcome (display only). `checkOnce` looks at runs finished since the last
 * check and at tenants whose consent was lost, and sends one e-mail and one signed webhook per
 * event — but not again for the same list (or the lost consent) within the quiet period.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');
  private mailer: Transporter | undefined;
  private readonly webhookCa: string[] | undefined;
  private readonly webhookTargets: WebhookTargetPolicy;
  private readonly rows: RowCipher;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(WEBHOOK_HOST_RESOLVER) resolver?: HostResolver,
  ) {
    this.rows = new RowCipher(cipher);
    const { webhookCaFile, webhookAllowHttp, webhookAllowPrivateNetworks } = config.admin.alerts;
    this.webhookCa = webhookCaFile
      ? [...rootCertificates, readFileSync(webhookCaFile, 'utf8')]
      : undefined;
    this.webhookTargets = new WebhookTargetPolicy(
      { allowHttp: webhookAllowHttp, allowPrivateNetworks: webhookAllowPrivateNetworks },
      resolver ?? systemHostResolver,
    );
  }

  private key(...parts: string[]): string {
    return [this.config.redis.keyPrefix, 'alerts', ...parts].join(':');
  }

  private async stored(tenantId: string): Promise<AlertSettingsEntity | null> {
    const row = await this.dataSource
      .getRepository(AlertSettingsEntity)
      .findOne({ where: { tenantId } });
    return row;
  }

  private legacyMoved = false;

  /**
   * Settings an earlier version left in Redis move to SQL (secret re-sealed), once per process on
   * the first alert check — not on a read, which never changes state.
   */
  async moveLegacySettings(): Promise<void> {
    const pattern = this.key('settings', '*');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
      cursor = next;
      for (const key of keys) await this.moveLegacy(key.slice(pattern.length - 1));
    } while (cursor !== '0');
    this.legacyMoved = true;
  }

  private async moveLegacy(tenantId: string): Promise<AlertSettingsEntity | null> {
    const raw = await this.redis.get(this.key('settings', tenantId));
    if (!raw) return null;
    const legacy = JSON.parse(raw) as LegacyRedisSettings;
    const row = Object.assign(new AlertSettingsEntity(), {
      tenantId,
      emails: JSON.stringify(legacy.emails),
      webhookUrl: legacy.webhookUrl,
      webhookSecretEncrypted: null,
      quietMinutes: legacy.quietMinutes,
      updatedAt: new Date(legacy.updatedAt),
    });
    if (legacy.webhookSecretEncrypted) {
      const secret = this.cipher.decrypt(legacy.webhookSecretEncrypted, {
        tenantId,
        table: 'alert_settings',
        rowId: tenantId,
        column: 'webhook_secret',
      });
      this.rows.seal(AlertSettingsEntity, row, 'webhookSecretEncrypted', secret);
    }
    try {
      await this.dataSource.getRepository(AlertSettingsEntity).insert(row);
    } catch {
      // Another instance moved them first.
      return this.dataSource.getRepository(AlertSettingsEntity).findOne({ where: { tenantId } });
    }
    await this.redis.del(this.key('settings', tenantId));
    return row;
  }

  async get(tenantId: string): Promise<AlertSettingsView> {
    const [s, delivery] = await Promise.all([
      this.stored(tenantId),
      this.redis.get(this.key('webhook-delivery', tenantId)),
    ]);
    return {
      emails: s ? (JSON.parse(s.emails) as string[]) : [],
      webhookUrl: s?.webhookUrl ?? null,
      webhookSecretSet: !!s?.webhookSecretEncrypted,
      quietMinutes: s?.quietMinutes ?? DEFAULT_QUIET_MINUTES,
      updatedAt: s?.updatedAt.toISOString() ?? null,
      lastWebhookDelivery: delivery ? (JSON.parse(delivery) as WebhookDelivery) : null,
    };
  }

  async put(actor: Actor, input: AlertSettingsInput): Promise<AlertSettingsView> {
    const current = await this.stored(actor.tenantId);
    const row = current ?? Object.assign(new AlertSettingsEntity(), { tenantId: actor.tenantId });
    const keptSecret = input.webhookUrl ? (current?.webhookSecretEncrypted ?? null) : null;
    const problems: FieldProblem[] = [];
    if (input.webhookUrl && !input.webhookSecret && !keptSecret)
      problems.push({
        field: 'webhookSecret',
        message: 'required with a webhookUrl (at least 16 characters)',
      });
    if (input.webhookUrl) {
      try {
        await this.webhookTargets.check(input.webhookUrl);
      } catch (error) {
        if (!(error instanceof WebhookTargetRefused)) throw error;
        problems.push({ field: 'webhookUrl', message: error.message });
      }
    }
    if (problems.length) throw new ValidationFailed(problems);
    const next = {
      emails: [...new Set(input.emails.map((e) => e.toLowerCase()))],
      webhookUrl: input.webhookUrl,
      quietMinutes: input.quietMinutes,
    };
    Object.assign(row, {
      emails: JSON.stringify(next.emails),
      webhookUrl: next.webhookUrl,
      webhookSecretEncrypted: keptSecret,
      quietMinutes: next.quietMinutes,
      updatedAt: new Date(),
    });
    if (input.webhookSecret)
      this.rows.seal(AlertSettingsEntity, row, 'webhookSecretEncrypted', input.webhookSecret);
    await withTransaction(this.dataSource, async (manager) => {
      await audit(
        manager,
        actor,
        'alerts.update',
        { type: 'alert_settings', id: actor.tenantId },
        {
          emails: next.emails,
          webhookUrl: next.webhookUrl,
          webhookSecretChanged: !!input.webhookSecret,
          quietMinutes: next.quietMinutes,
        },
      );
      await manager.getRepository(AlertSettingsEntity).save(row);
    });
    return this.get(actor.tenantId);
  }

  /** Deletes a tenant's alert settings and state (clean-up and revoke). */
  async deleteTenant(tenantId: string): Promise<void> {
    await this.dataSource.getRepository(AlertSettingsEntity).delete({ tenantId });
    await this.redis.del(this.key('settings', tenantId), this.key('webhook-delivery', tenantId));
  }

  /**
   * One pass: runs that ended failed or partial since the last pass (sync and clean-up runs; a
   * preview never alerts), and tenants whose consent is lost. Safe to run on several API
   * instances at once: each run and each quiet period is claimed in Redis with SET NX.
   */
  async checkOnce(now = new Date()): Promise<AlertEvent[]> {
    if (!this.legacyMoved) await this.moveLegacySettings();
    const cursorKey = this.key('cursor');
    const cursor = await this.redis.get(cursorKey);
    await this.redis.set(cursorKey, now.toISOString());
    if (!cursor) return []; // first pass of this deployment: nothing older is alerted
    // A little overlap: a run whose row committed just after the last pass's read is not missed.
    const since = new Date(new Date(cursor).getTime() - 10_000);
    const runs = await this.dataSource.getRepository(SyncRunEntity).find({
      where: {
        finishedAt: MoreThanOrEqual(since),
        status: In(['failed', 'partial']),
        mode: In(['sync', 'cleanup']),
      },
      order: { finishedAt: 'ASC' },
      take: 500,
    });
    const sent: AlertEvent[] = [];
    for (const run of runs) {
      if (!(await this.claim(this.key('run', run.id), 86_400_000))) continue;
      const event = await this.runEvent(run);
      if (event && (await this.deliver(event, `list:${run.listId}`))) sent.push(event);
    }
    const lost = await this.dataSource
      .getRepository(TenantEntity)
      .find({ where: { status: In(['consent_revoked', 'orphaned']) } });
    for (const tenant of lost) {
      const stamp = String(tenant.consentedAt?.getTime() ?? 0);
      if (!(await this.claim(this.key('consent', tenant.id, stamp), 30 * 86_400_000))) continue;
      const event: AlertEvent = {
        id: randomUUID(),
        kind: 'consent_lost',
        tenantId: tenant.id,
        azureTenantId: tenant.azureTenantId,
        at: now.toISOString(),
        summary:
          'The consent of the contact sync app was revoked or the app was removed in Entra ID: syncing has stopped.',
        whatToDo: ERROR_ADVICE.CONSENT_REVOKED,
      };
      if (await this.deliver(event, 'consent')) sent.push(event);
    }
    return sent;
  }

  private async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  private async runEvent(run: SyncRunEntity): Promise<AlertEvent | undefined> {
    const tenant = await this.dataSource
      .getRepository(TenantEntity)
      .findOne({ where: { id: run.tenantId } });
    if (!tenant) return undefined;
    const list = await this.dataSource.getRepository(ContactListEntity).findOne({
      where: { id: run.listId, tenantId: run.tenantId },
      select: { id: true, name: true },
    });
    const error = run.errorCode
      ? { code: run.errorCode, message: run.errorMessage, advice: ERROR_ADVICE[run.errorCode] }
      : null;
    const name = list?.name ?? run.listId;
    return {
      id: randomUUID(),
      kind: run.status === 'partial' ? 'run_partial' : 'run_failed',
      tenantId: run.tenantId,
      azureTenantId: tenant.azureTenantId,
      at: (run.finishedAt ?? new Date()).toISOString(),
      summary:
        run.status === 'partial'
          ? `The ${run.mode} run of "${name}" ended partly failed: ${run.mailboxesFailed} of ${run.mailboxesTotal} mailboxes failed.`
          : `The ${run.mode} run of "${name}" failed${error ? ` (${error.code})` : ''}.`,
      list: { id: run.listId, name },
      run: {
        id: run.id,
        mode: run.mode,
        trigger: run.trigger,
        status: run.status,
        mailboxes: {
          total: run.mailboxesTotal,
          succeeded: run.mailboxesSucceeded,
          failed: run.mailboxesFailed,
        },
        error,
      },
      whatToDo:
        error?.advice ??
        'Open the failed mailboxes of the run (GET /api/runs/{id}/mailboxes?status=failed) for their errors and what to do about them.',
    };
  }

  /** Sends the event unless the same subject alerted within the quiet period. */
  private async deliver(event: AlertEvent, subject: string): Promise<boolean> {
    const settings = await this.stored(event.tenantId);
    const emails = settings ? (JSON.parse(settings.emails) as string[]) : [];
    if (!settings || (!emails.length && !settings.webhookUrl)) return false;
    const quiet = settings.quietMinutes * 60_000;
    if (!(await this.claim(this.key('quiet', event.tenantId, subject), quiet))) {
      this.logger.log(
        { tenantId: event.tenantId, kind: event.kind, subject },
        'alert suppressed: within the quiet period',
      );
      return false;
    }
    await Promise.all([
      emails.length ? this.sendMail(emails, event) : undefined,
      settings.webhookUrl && settings.webhookSecretEncrypted
        ? this.sendWebhook(
            settings.webhookUrl,
            this.rows.open(AlertSettingsEntity, settings, 'webhookSecretEncrypted')!,
            event,
          )
        : undefined,
    ]);
    return true;
  }

  private async sendMail(to: string[], event: AlertEvent): Promise<void> {
    const smtp = this.config.admin.alerts.smtpUrl;
    if (!smtp) {
      this.logger.warn({ tenantId: event.tenantId }, 'alert e-mail not sent: SMTP_URL is not set');
      return;
    }
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
      `Tenant: ${event.azureTenantId}`,
      '',
      `What to do: ${event.whatToDo ?? ''}`,
    ];
    try {
      await this.mailer.sendMail({
        from: this.config.admin.alerts.from,
        to,
        subject: `[Contact sync] ${event.summary}`.slice(0, 200),
        text: lines.join('\n'),
        headers: { 'X-Contact-Sync-Alert': event.kind },
      });
    } catch (error) {
      this.logger.warn({ tenantId: event.tenantId, err: error }, 'alert e-mail failed');
    }
  }

  /**
   * The URL is checked again here, not only when saved: its name may point elsewhere by now. The
   * POST then goes to exactly the addresses that passed; a refused target is never contacted.
   */
  private async sendWebhook(url: string, secret: string, event: AlertEvent): Promise<void> {
    const body = JSON.stringify(event);
    const signature = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    const record = (outcome: Omit<WebhookDelivery, 'deliveryId' | 'kind' | 'at'>) =>
      this.redis.set(
        this.key('webhook-delivery', event.tenantId),
        JSON.stringify({
          deliveryId: event.id,
          kind: event.kind,
          at: new Date().toISOString(),
          ...outcome,
        } satisfies WebhookDelivery),
      );
    const log = { tenantId: event.tenantId, deliveryId: event.id };
    try {
      const target = await this.webhookTargets.check(url);
      const res = await postToCheckedTarget(target, {
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: `sha256=${signature}`,
          'x-contact-sync-event': event.kind,
          'x-contact-sync-delivery': event.id,
        },
        body,
        ca: this.webhookCa,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        maxResponseBytes: WEBHOOK_MAX_RESPONSE_BYTES,
      });
      if (res.status >= 200 && res.status < 300) {
        await record({ outcome: 'sent', httpStatus: res.status });
        return;
      }
      // Redirects are not followed: a 3xx is a failed delivery like a 4xx or 5xx.
      this.logger.warn({ ...log, status: res.status }, 'alert webhook answered with an error');
      await record({ outcome: 'failed', code: 'WEBHOOK_HTTP_STATUS', httpStatus: res.status });
    } catch (error) {
      if (error instanceof WebhookTargetRefused) {
        this.logger.warn(
          { ...log, code: error.code, reason: error.message },
          'alert webhook not sent: target address refused',
        );
        await record({ outcome: 'failed', code: error.code });
        return;
      }
      this.logger.warn({ ...log, err: error }, 'alert webhook failed');
      await record({ outcome: 'failed', code: 'WEBHOOK_REQUEST_FAILED' });
    }
  }

  async close(): Promise<void> {
    this.mailer?.close();
  }
}
