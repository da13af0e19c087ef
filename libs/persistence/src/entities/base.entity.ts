import { randomUUID } from 'node:crypto';
import { BeforeInsert, BeforeUpdate, Column, PrimaryColumn } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';

/** Ids are UUIDs made by the application, so a row's id exists (and can bind AAD) before insert. */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @NormalizedKey()
  id: string = randomUUID();

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;

  @BeforeInsert()
  protected stampCreated(): void {
    const now = new Date();
    this.id ??= randomUUID();
    this.createdAt ??= now;
    this.updatedAt ??= now;
  }

  @BeforeUpdate()
  protected stampUpdated(): void {
    this.updatedAt = new Date();
  }
}
