import {
  AlertDeliveryEntity,
  ContactListRepository,
  SyncRunRepository,
  TenantRepository,
  UnitOfWork,
  type TenantEntity,
} from '@app/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlertEvent } from './alert-event';
import { AlertSettingsService, type AlertChannels } from './alert-settings.service';
import { composeConsentAlert, composeRunAlert } from './compose-alert';
import { EmailChannel } from './email-channel';

const CURSOR = 'alerts';
// Runs are read again this far back: a run whose row committed after the previous pass read
// (its finishedAt earlier than that pass) is still seen; dedupe keys make the re-read harmless.
const OVERLAP_MS = 60_000;
const RUNS_PER_PASS = 500;

interface Candidate {
  dedupeKey: string;
  subject: string;
  event: AlertEvent;
}

/**
 * Finds what to alert about since the cursor — runs that ended failed or partial (sync and
 * clean-up, never previews) and tenants whose consent is lost — and writes one alert_delivery
 * row per alert in the transaction that moves the cursor: an alert is either in the outbox or
 * its cause is still ahead of the cursor. A subject (a list, a tenant's consent) that alerted
 * within the tenant's quiet period is recorded as suppressed.
 */
@Injectable()
export class AlertDetector {
  private readonly logger = new Logger('AlertDetector');

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(ContactListRepository) private readonly lists: ContactListRepository,
    @Inject(AlertSettingsService) private readonly settings: AlertSettingsService,
    @Inject(EmailChannel) private readonly email: EmailChannel,
  ) {}

  /** One pass; the alerts it put in the outbox to be sent (suppressed ones not included). */
  async detect(now = new Date()): Promise<AlertEvent[]> {
    const cursor = await this.uow.run((tx) => tx.alertOutbox.cursor(CURSOR));
    if (!cursor) {
      // First pass of this deployment: nothing older is alerted.
      await this.uow.run((tx) => tx.alertOutbox.startCursor(CURSOR, now));
      return [];
    }
    const runs = await this.runs.endedWithProblemsSince(
      new Date(cursor.getTime() - OVERLAP_MS),
      RUNS_PER_PASS,
    );
    // A full page may have more behind it: the cursor moves only as far as this page reached.
    const reached = runs.length === RUNS_PER_PASS ? (runs[runs.length - 1].finishedAt ?? now) : now;
    const candidates = await this.candidates(runs, now);
    const channelsOf = new Map<string, AlertChannels | null>();
    for (const { event } of candidates)
      if (!channelsOf.has(event.tenantId))
        channelsOf.set(event.tenantId, await this.settings.channels(event.tenantId));
    return this.uow.run(async (tx) => {
      // The cursor first: a pass that lost the race ends at its first statement. On embedded
      // SQLite every flow of the process shares one connection, so a statement another flow
      // sends while this transaction is open runs inside it and would be rolled back with it.
      if (!(await tx.alertOutbox.moveCursor(CURSOR, cursor, reached > cursor ? reached : cursor)))
        throw new Error('another alert pass moved the cursor first; this pass is rolled back');
      const known = await tx.alertOutbox.existingKeys(candidates.map((c) => c.dedupeKey));
      const out: AlertEvent[] = [];
      for (const c of candidates) {
        if (known.has(c.dedupeKey)) continue;
        known.add(c.dedupeKey);
        const tenantId = c.event.tenantId;
        const channels = channelsOf.get(tenantId) ?? null;
        const emailState = channels?.emails.length && this.email.configured ? 'pending' : 'none';
        const webhookState = channels?.webhook ? 'pending' : 'none';
        if (channels?.emails.length && !this.email.configured)
          this.logger.warn({ tenantId }, 'alert e-mail not sent: SMTP_URL is not set');
        let state: AlertDeliveryEntity['state'] = 'pending';
        if (emailState === 'none' && webhookState === 'none') state = 'no_channel';
        else if (
          await tx.alertOutbox.alertedSince(
            tenantId,
            c.subject,
            new Date(now.getTime() - channels!.quietMinutes * 60_000),
          )
        ) {
          state = 'suppressed';
          this.logger.log(
            { tenantId, kind: c.event.kind, subject: c.subject, deliveryId: c.event.id },
            'alert suppressed: within the quiet period',
          );
        }
        await tx.alertOutbox.insert(
          Object.assign(new AlertDeliveryEntity(), {
            id: c.event.id,
            tenantId,
            dedupeKey: c.dedupeKey,
            subject: c.subject,
            kind: c.event.kind,
            payload: JSON.stringify(c.event),
            state,
            emailState,
            webhookState,
            attempts: 0,
            nextAttemptAt: now,
            leaseUntil: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
        if (state === 'pending') out.push(c.event);
      }
      return out;
    });
  }

  private async candidates(
    runs: Awaited<ReturnType<SyncRunRepository['endedWithProblemsSince']>>,
    now: Date,
  ): Promise<Candidate[]> {
    const tenants = new Map<string, TenantEntity | null>();
    const tenantOf = async (id: string) => {
      if (!tenants.has(id)) tenants.set(id, await this.tenants.findById(id));
      return tenants.get(id) ?? null;
    };
    const out: Candidate[] = [];
    for (const run of runs) {
      const tenant = await tenantOf(run.tenantId);
      if (!tenant) continue;
      const list = await this.lists.findInTenant(run.tenantId, run.listId);
      out.push({
        dedupeKey: `run:${run.id}`,
        subject: `list:${run.listId}`,
        event: composeRunAlert(run, tenant, list?.name),
      });
    }
    for (const tenant of await this.tenants.withLostConsent()) {
      const stamp = String(tenant.consentedAt?.getTime() ?? 0);
      out.push({
        dedupeKey: `consent:${tenant.id}:${stamp}`,
        subject: 'consent',
        event: composeConsentAlert(tenant, now),
      });
    }
    return out;
  }
}
