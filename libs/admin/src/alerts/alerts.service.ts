import { AlertOutboxRepository } from '@app/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../actor';
import { AlertDeliverer, type AlertAttempt } from './alert-deliverer';
import { AlertDetector } from './alert-detector';
import type { AlertSettingsInput } from './alert-settings.schema';
import { AlertSettingsService } from './alert-settings.service';
import type { AlertSettingsView } from './alert-settings-view';

// Delivered and given-up alerts are kept this long (what the settings view and support need).
const OUTBOX_RETENTION_MS = 30 * 86_400_000;

/**
 * Alerts per tenant: settings (AlertSettingsService), detection into the SQL outbox
 * (AlertDetector) and delivery from it (AlertDeliverer). The worker runs `checkOnce` on a timer;
 * the admin API only reads and writes settings.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');
  private legacyMoved = false;

  constructor(
    @Inject(AlertSettingsService) private readonly settings: AlertSettingsService,
    @Inject(AlertDetector) private readonly detector: AlertDetector,
    @Inject(AlertDeliverer) private readonly deliverer: AlertDeliverer,
    @Inject(AlertOutboxRepository) private readonly outbox: AlertOutboxRepository,
  ) {}

  get(tenantId: string): Promise<AlertSettingsView> {
    return this.settings.get(tenantId);
  }

  put(actor: Actor, input: AlertSettingsInput): Promise<AlertSettingsView> {
    return this.settings.put(actor, input);
  }

  deleteTenant(tenantId: string): Promise<void> {
    return this.settings.deleteTenant(tenantId);
  }

  moveLegacySettings(): Promise<number> {
    return this.settings.moveLegacySettings();
  }

  /**
   * One pass: detects new alerts into the outbox, then delivers every due one (new ones and
   * retries). Safe on several workers at once (cursor compare-and-set, dedupe keys, leases).
   */
  async checkOnce(now = new Date()): Promise<AlertAttempt[]> {
    if (!this.legacyMoved) {
      await this.moveLegacySettings();
      this.legacyMoved = true;
    }
    try {
      await this.detector.detect(now);
    } catch (error) {
      // Due retries still go out; the detection is tried again at the next pass.
      this.logger.warn({ err: error }, 'alert detection failed');
    }
    const attempts = await this.deliverer.deliverDue(now);
    await this.outbox.prune(new Date(now.getTime() - OUTBOX_RETENTION_MS));
    return attempts;
  }
}
