import { Column, Entity, Index } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantOwnedEntity } from './tenant-owned.entity';

/**
 * pending: to be delivered (again) at nextAttemptAt; delivered: every channel sent; failed:
 * given up after the last attempt; suppressed: within the quiet period of the same subject;
 * no_channel: the tenant had no recipient and no webhook when it was detected.
 */
export type AlertDeliveryState = 'pending' | 'delivered' | 'failed' | 'suppressed' | 'no_channel';

/** One channel of one alert: none = not configured for it. */
export type AlertChannelState = 'none' | 'pending' | 'sent' | 'failed';

/**
 * The alert outbox: one row per detected alert, written in the same transaction that moves
 * the detection cursor, and marked only after its channels were tried. A crash between sending
 * and marking sends it again with the same id (the receiver's dedupe key), never loses it.
 */
@Entity('alert_delivery')
@Index('uq_alert_delivery_dedupe', ['dedupeKey'], { unique: true })
@Index('ix_alert_delivery_due', ['state', 'nextAttemptAt'])
@Index('ix_alert_delivery_subject', ['tenantId', 'subject', 'createdAt'])
export class AlertDeliveryEntity extends TenantOwnedEntity {
  /**
   * What makes two detections the same alert: `run:<runId>`, `consent:<tenantId>:<stamp>`
   * (lower-case ids and digits only).
   */
  @Column({ type: 'varchar', length: 200 })
  @NormalizedKey()
  dedupeKey!: string;

  /** What the quiet period is counted per: `list:<listId>` or `consent`. */
  @Column({ type: 'varchar', length: 100 })
  subject!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** The event as JSON, sent byte for byte the same on every attempt (same signature). */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: AlertDeliveryState;

  @Column({ type: 'varchar', length: 16 })
  emailState!: AlertChannelState;

  @Column({ type: 'varchar', length: 16 })
  webhookState!: AlertChannelState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: Date })
  nextAttemptAt!: Date;

  /** Until when one deliverer holds the row; another may take it over afterwards. */
  @Column({ type: Date, nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: Date, nullable: true })
  lastAttemptAt!: Date | null;

  /** When the webhook was last tried, with its outcome (code and HTTP status). */
  @Column({ type: Date, nullable: true })
  webhookAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  webhookCode!: string | null;

  @Column({ type: 'integer', nullable: true })
  webhookHttpStatus!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  emailCode!: string | null;
}
