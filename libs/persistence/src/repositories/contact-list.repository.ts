import { DataSource } from 'typeorm';
import { ContactListEntity } from '../entities/contact-list.entity';

export class ContactListRepository {
  constructor(private readonly dataSource: DataSource) {}

  findInTenant(tenantId: string, id: string): Promise<ContactListEntity | null> {
    return this.dataSource.getRepository(ContactListEntity).findOne({ where: { id, tenantId } });
  }
}
