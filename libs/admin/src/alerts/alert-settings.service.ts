import { APP_CONFIG, type AppConfig } from '@app/config';
import { FieldCipher } from '@app/crypto';
import {
  AlertOutboxRepository,
  AlertSettingsEntity,
  AlertSettingsRepository,
  RowCipher,
  UnitOfWork,
} from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Actor } from '../actor';
import { ValidationFailed, type FieldProblem } from '../validation';
import { WebhookTargetRefused } from '@app/outbound';
import type { AlertSettingsInput } from './alert-settings.schema';
import type { AlertSettingsView, WebhookDelivery } from './alert-settings-view';
import type { AlertEvent } from './alert-event';
import { WebhookChannel } from './webhook-channel';

export const DEFAULT_QUIET_MINUTES = 60;

/** The settings as an earlier version kept them in Redis; read once and moved to SQL. */
interface LegacyRedisSettings {
  emails: string[];
  webhookUrl: string | null;
  /** Encrypted with the field cipher, bound to the tenant (rowId = tenant id). */
  webhookSecretEncrypted: string | null;
  quietMinutes: number;
  updatedAt: string;
}

/** Where a tenant's alerts go, as the deliverer reads them (secret opened). */
export interface AlertChannels {
  emails: string[];
  webhook: { url: string; secret: string } | null;
  quietMinutes: number;
}

/**
 * A tenant's alert settings in SQL (alert_settings; the webhook secret sealed with RowCipher):
 * Redis may run without persistence, and these cannot be rebuilt from anything else.
 */
@Injectable()
export class AlertSettingsService {
  constructor(
    @Inject(AlertSettingsRepository) private readonly settings: AlertSettingsRepository,
    @Inject(AlertOutboxRepository) private readonly outbox: AlertOutboxRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(RowCipher) private readonly rows: RowCipher,
    @Inject(WebhookChannel) private readonly webhook: WebhookChannel,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string): Promise<AlertSettingsView> {
    const [s, last] = await Promise.all([
      this.settings.find(tenantId),
      this.outbox.lastWebhookAttempt(tenantId),
    ]);
    return {
      emails: s ? (JSON.parse(s.emails) as string[]) : [],
      webhookUrl: s?.webhookUrl ?? null,
      webhookSecretSet: !!s?.webhookSecretEncrypted,
      quietMinutes: s?.quietMinutes ?? DEFAULT_QUIET_MINUTES,
      updatedAt: s?.updatedAt.toISOString() ?? null,
      lastWebhookDelivery:
        last && last.webhookAt
          ? ({
              deliveryId: last.id,
              kind: last.kind as AlertEvent['kind'],
              at: last.webhookAt.toISOString(),
              outcome: last.webhookState === 'sent' ? 'sent' : 'failed',
              ...(last.webhookCode ? { code: last.webhookCode } : {}),
              ...(last.webhookHttpStatus !== null ? { httpStatus: last.webhookHttpStatus } : {}),
            } satisfies WebhookDelivery)
          : null,
    };
  }

  /** The channels as they are now (null: the tenant never saved settings). */
  async channels(tenantId: string): Promise<AlertChannels | null> {
    const s = await this.settings.find(tenantId);
    if (!s) return null;
    const secret = s.webhookSecretEncrypted
      ? this.rows.open(AlertSettingsEntity, s, 'webhookSecretEncrypted')
      : null;
    return {
      emails: JSON.parse(s.emails) as string[],
      webhook: s.webhookUrl && secret ? { url: s.webhookUrl, secret } : null,
      quietMinutes: s.quietMinutes,
    };
  }

  async put(actor: Actor, input: AlertSettingsInput): Promise<AlertSettingsView> {
    const current = await this.settings.find(actor.tenantId);
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
        await this.webhook.targets.check(input.webhookUrl);
      } catch (error) {
        if (!(error instanceof WebhookTargetRefused)) throw error;
        problems.push({ field: 'webhookUrl', message: error.message });
      }
    }
    if (problems.length) throw new ValidationFailed(problems);
    const emails = [...new Set(input.emails.map((e) => e.toLowerCase()))];
    Object.assign(row, {
      emails: JSON.stringify(emails),
      webhookUrl: input.webhookUrl,
      webhookSecretEncrypted: keptSecret,
      quietMinutes: input.quietMinutes,
      updatedAt: new Date(),
    });
    if (input.webhookSecret)
      this.rows.seal(AlertSettingsEntity, row, 'webhookSecretEncrypted', input.webhookSecret);
    await this.uow.run(async (tx) => {
      await tx.audit.record(
        actor,
        'alerts.update',
        { type: 'alert_settings', id: actor.tenantId },
        {
          emails,
          webhookUrl: input.webhookUrl,
          webhookSecretChanged: !!input.webhookSecret,
          quietMinutes: input.quietMinutes,
        },
      );
      await tx.alertSettings.save(row);
    });
    return this.get(actor.tenantId);
  }

  /** Deletes a tenant's alert settings and its outbox (clean-up and revoke). */
  async deleteTenant(tenantId: string): Promise<void> {
    await this.settings.delete(tenantId);
    await this.outbox.deleteTenant(tenantId);
    await this.redis.del(this.legacyKey(tenantId));
  }

  private legacyKey(tenantId: string): string {
    return [this.config.redis.keyPrefix, 'alerts', 'settings', tenantId].join(':');
  }

  /**
   * Settings an earlier version left in Redis move to SQL (secret re-sealed), from the alert
   * pass — never from a read, which never changes state.
   */
  async moveLegacySettings(): Promise<number> {
    const pattern = this.legacyKey('*');
    let cursor = '0';
    let moved = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
      cursor = next;
      for (const key of keys)
        if (await this.moveLegacy(key, key.slice(pattern.length - 1))) moved++;
    } while (cursor !== '0');
    return moved;
  }

  private async moveLegacy(key: string, tenantId: string): Promise<boolean> {
    const raw = await this.redis.get(key);
    if (!raw) return false;
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
    // Another instance may have moved them first: then the row it wrote stands.
    await this.settings.insertIfAbsent(row);
    await this.redis.del(key);
    return true;
  }
}
