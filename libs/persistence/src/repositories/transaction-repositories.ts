import type { EntityManager } from 'typeorm';
import type { RowCipher } from '../encryption/row-cipher';
import { AdminUserRepository } from './admin-user.repository';
import { AlertOutboxRepository } from './alert-outbox.repository';
import { AlertSettingsRepository } from './alert-settings.repository';
import { ApiTokenRepository } from './api-token.repository';
import { AuditEventRepository } from './audit-event.repository';
import { ContactListRepository } from './contact-list.repository';
import { EwsConnectionRepository } from './ews-connection.repository';
import { OperatorGrantRepository } from './operator-grant.repository';
import { ScheduleRepository } from './schedule.repository';
import { TargetRepository } from './target.repository';
import { TenantRepository } from './tenant.repository';

/** The repositories of one unit of work, all bound to its transaction. */
export class TransactionRepositories {
  readonly adminUsers: AdminUserRepository;
  readonly alertOutbox: AlertOutboxRepository;
  readonly alertSettings: AlertSettingsRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly audit: AuditEventRepository;
  readonly contactLists: ContactListRepository;
  readonly ewsConnections: EwsConnectionRepository;
  readonly operatorGrants: OperatorGrantRepository;
  readonly schedules: ScheduleRepository;
  readonly targets: TargetRepository;
  readonly tenants: TenantRepository;

  constructor(manager: EntityManager, rows: RowCipher) {
    this.adminUsers = new AdminUserRepository(manager);
    this.alertOutbox = new AlertOutboxRepository(manager);
    this.alertSettings = new AlertSettingsRepository(manager);
    this.apiTokens = new ApiTokenRepository(manager);
    this.audit = new AuditEventRepository(manager);
    this.contactLists = new ContactListRepository(manager);
    this.ewsConnections = new EwsConnectionRepository(manager, rows);
    this.operatorGrants = new OperatorGrantRepository(manager);
    this.schedules = new ScheduleRepository(manager);
    this.targets = new TargetRepository(manager);
    this.tenants = new TenantRepository(manager);
  }
}
