import { DataSource } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';

/** What the engine keeps per mailbox and list: folder, delta token, kind, last outcome. */
export class MailboxStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  findForMailbox(key: {
    tenantId: string;
    listId: string;
    mailboxId: string;
  }): Promise<MailboxStateEntity | null> {
    return this.dataSource.getRepository(MailboxStateEntity).findOne({
      where: { tenantId: key.tenantId, listId: key.listId, mailboxId: key.mailboxId },
    });
  }

  async update(id: string, changes: Partial<MailboxStateEntity>): Promise<void> {
    await this.dataSource
      .getRepository(MailboxStateEntity)
      .update({ id }, { ...changes, updatedAt: new Date() });
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(MailboxStateEntity).delete({ id });
  }
}
