import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { ContactListEntity } from './contact-list.entity';
import { NormalizedKey } from './normalized-key.decorator';

/** A manual or CSV contact. Its fields are encrypted; only blind indexes are searchable. */
@Entity('list_entry')
@Index('uq_list_entry_list_generation_source_key', ['listId', 'sourceKey', 'generation'], {
  unique: true,
})
@Index('ix_list_entry_email_index', ['listId', 'emailBlindIndex'])
@Index('ix_list_entry_tenant', ['tenantId'])
export class ListEntryEntity extends BaseEntity {
  /** Denormalised for tenant scoping; no foreign key, so the only cascade path is via the list. */
  @Column({ type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  listId!: string;

  @ManyToOne(() => ContactListEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id' })
  list?: ContactListEntity;

  /**
   * The import that wrote the row. Only rows of the list's entryGeneration are its entries: an
   * import stages a new generation in short transactions and switches to it in one.
   */
  @Column({ type: 'varchar', length: 36, default: '' })
  @NormalizedKey()
  generation!: string;

  /** Stable key of the contact within its list, lower-cased. */
  @Column({ type: 'varchar', length: 128 })
  @NormalizedKey()
  sourceKey!: string;

  /** HMAC blind index of the normalised e-mail, for duplicate checks without decrypting. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  emailBlindIndex!: string | null;

  @Column({ type: 'text' })
  dataEncrypted!: string;
}
