import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

const tenantFk = (): TableForeignKey =>
  new TableForeignKey({
    columnNames: ['tenant_id'],
    referencedTableName: 'tenant',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** The subscriber schema of DESIGN §3. Hand-written and portable: never edit once released. */
export class InitialSchema1732300000000 implements MigrationInterface {
  name = 'InitialSchema1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    const tables: Table[] = [
      new Table({
        name: 'tenant',
        columns: [
          c.id(),
          c.uuid('azure_tenant_id'),
          c.string('display_name', 256, { nullable: true }),
          c.string('status', 20, { default: 'pending' }),
          c.uuid('consented_by', { nullable: true }),
          c.date('consented_at', { nullable: true }),
          c.text('granted_permissions', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_tenant_azure_tenant_id',
            columnNames: ['azure_tenant_id'],
            isUnique: true,
          }),
        ],
      }),
      new Table({
        name: 'admin_user',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('oid'),
          c.text('profile_encrypted', { nullable: true }),
          c.string('role', 20),
          c.date('last_sign_in_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_admin_user_tenant_oid',
            columnNames: ['tenant_id', 'oid'],
            isUnique: true,
          }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'api_token',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('name', 100),
          c.string('token_hash', 64),
          c.string('prefix', 12),
          c.string('role', 20),
          c.uuid('created_by'),
          c.date('last_used_at', { nullable: true }),
          c.date('expires_at', { nullable: true }),
          c.date('revoked_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_api_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_api_token_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'ews_connection',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('server_url', 500),
          c.string('username', 256),
          c.text('password_encrypted'),
          c.string('impersonation_address', 320, { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_ews_connection_tenant',
            columnNames: ['tenant_id'],
            isUnique: true,
          }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'contact_list',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('name', 200),
          c.string('name_key', 200),
          c.text('description', { nullable: true }),
          c.text('settings'),
          c.string('default_region', 2, { default: 'US' }),
          c.boolean('enabled', { default: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_contact_list_tenant_name',
            columnNames: ['tenant_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'list_entry',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('list_id'),
          c.string('source_key', 128),
          c.string('email_blind_index', 64, { nullable: true }),
          c.text('data_encrypted'),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_list_entry_list_source_key',
            columnNames: ['list_id', 'source_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_list_entry_email_index',
            columnNames: ['list_id', 'email_blind_index'],
          }),
          new TableIndex({ name: 'ix_list_entry_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['list_id'],
            referencedTableName: 'contact_list',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
      new Table({
        name: 'calendar_list',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('name', 200),
          c.string('name_key', 200),
          c.text('description', { nullable: true }),
          c.text('settings'),
          c.string('time_zone', 64, { default: 'UTC' }),
          c.boolean('enabled', { default: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_calendar_list_tenant_name',
            columnNames: ['tenant_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'calendar_entry',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('calendar_list_id'),
          c.string('source_key', 128),
          c.date('starts_at'),
          c.date('ends_at'),
          c.text('data_encrypted'),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_calendar_entry_list_source_key',
            columnNames: ['calendar_list_id', 'source_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_calendar_entry_window',
            columnNames: ['calendar_list_id', 'starts_at'],
          }),
          new TableIndex({ name: 'ix_calendar_entry_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['calendar_list_id'],
            referencedTableName: 'calendar_list',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
      new Table({
        name: 'target',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('list_kind', 10),
          c.uuid('list_id'),
          c.string('kind', 10),
          c.string('mode', 10, { default: 'include' }),
          c.text('value', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'ix_target_list', columnNames: ['list_id'] }),
          new TableIndex({ name: 'ix_target_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'schedule',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('list_kind', 10),
          c.uuid('list_id'),
          c.string('cron', 100),
          c.string('time_zone', 64, { default: 'UTC' }),
          c.boolean('enabled', { default: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'uq_schedule_list', columnNames: ['list_id'], isUnique: true }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'sync_run',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('list_kind', 10),
          c.uuid('list_id'),
          c.uuid('active_list_id', { nullable: true }),
          c.string('trigger', 20),
          c.string('status', 20),
          c.date('started_at'),
          c.date('finished_at', { nullable: true }),
          c.date('deadline_at', { nullable: true }),
          c.integer('mailboxes_total', { default: 0 }),
          c.integer('mailboxes_succeeded', { default: 0 }),
          c.integer('mailboxes_failed', { default: 0 }),
          c.integer('items_created', { default: 0 }),
          c.integer('items_updated', { default: 0 }),
          c.integer('items_deleted', { default: 0 }),
          c.string('error_code', 64, { nullable: true }),
          c.text('error_message', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_sync_run_active_list',
            columnNames: ['active_list_id'],
            isUnique: true,
            where: 'active_list_id IS NOT NULL',
          }),
          new TableIndex({
            name: 'ix_sync_run_list_started',
            columnNames: ['list_id', 'started_at'],
          }),
          new TableIndex({ name: 'ix_sync_run_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'mailbox_state',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('list_id'),
          c.uuid('mailbox_id'),
          c.text('folder_id', { nullable: true }),
          c.text('delta_link', { nullable: true }),
          c.string('status', 20, { default: 'pending' }),
          c.date('last_synced_at', { nullable: true }),
          c.integer('item_count', { default: 0 }),
          c.string('last_error_code', 64, { nullable: true }),
          c.text('last_error_message', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_mailbox_state_list_mailbox',
            columnNames: ['list_id', 'mailbox_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_mailbox_state_tenant', columnNames: ['tenant_id'] }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'subscription',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('stripe_customer_id', 255, { nullable: true }),
          c.string('stripe_subscription_id', 255, { nullable: true }),
          c.string('status', 30, { default: 'none' }),
          c.integer('seats', { default: 0 }),
          c.date('current_period_end', { nullable: true }),
          c.date('last_event_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_subscription_tenant',
            columnNames: ['tenant_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_subscription_customer', columnNames: ['stripe_customer_id'] }),
        ],
        foreignKeys: [tenantFk()],
      }),
      new Table({
        name: 'stripe_event',
        columns: [
          c.id(),
          c.string('event_id_hash', 64),
          c.string('event_id', 255),
          c.string('type', 100),
          c.uuid('tenant_id', { nullable: true }),
          c.date('processed_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_stripe_event_id_hash',
            columnNames: ['event_id_hash'],
            isUnique: true,
          }),
        ],
      }),
      new Table({
        name: 'audit_event',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('actor_type', 20),
          c.string('actor_id', 64),
          c.string('action', 64),
          c.string('target_type', 32, { nullable: true }),
          c.string('target_id', 64, { nullable: true }),
          c.text('details', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'ix_audit_event_tenant_created',
            columnNames: ['tenant_id', 'created_at'],
          }),
        ],
        foreignKeys: [tenantFk()],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table, false, true, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'audit_event',
      'stripe_event',
      'subscription',
      'mailbox_state',
      'sync_run',
      'schedule',
      'target',
      'calendar_entry',
      'calendar_list',
      'list_entry',
      'contact_list',
      'ews_connection',
      'api_token',
      'admin_user',
      'tenant',
    ]) {
      await queryRunner.dropTable(name, false, true, true);
    }
  }
}
