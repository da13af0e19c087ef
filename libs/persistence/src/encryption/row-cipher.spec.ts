import { DecryptionFailedError, FieldCipher, KeyRing } from '@app/crypto';
import { randomBytes } from 'node:crypto';
import { EwsConnectionEntity, ListEntryEntity } from '../entities';
import { RowCipher } from './row-cipher';

const rows = new RowCipher(
  new FieldCipher(
    new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] }),
  ),
);

describe('RowCipher', () => {
  it('seals a column bound to its row and opens it again', () => {
    const entry = Object.assign(new ListEntryEntity(), { tenantId: 't1' });
    rows.seal(ListEntryEntity, entry, 'dataEncrypted', '{"name":"Ada"}');
    expect(entry.dataEncrypted).toMatch(/^v1\.k\./);
    expect(entry.dataEncrypted).not.toContain('Ada');
    expect(rows.open(ListEntryEntity, entry, 'dataEncrypted')).toBe('{"name":"Ada"}');
  });

  it('refuses a value copied to another row or tenant', () => {
    const a = Object.assign(new EwsConnectionEntity(), { tenantId: 't1' });
    rows.seal(EwsConnectionEntity, a, 'passwordEncrypted', 'pw');
    const otherRow = Object.assign(new EwsConnectionEntity(), {
      tenantId: 't1',
      passwordEncrypted: a.passwordEncrypted,
    });
    const otherTenant = Object.assign(new EwsConnectionEntity(), {
      id: a.id,
      tenantId: 't2',
      passwordEncrypted: a.passwordEncrypted,
    });
    expect(() => rows.open(EwsConnectionEntity, otherRow, 'passwordEncrypted')).toThrow(
      DecryptionFailedError,
    );
    expect(() => rows.open(EwsConnectionEntity, otherTenant, 'passwordEncrypted')).toThrow(
      DecryptionFailedError,
    );
  });

  it('refuses columns that are not registered as encrypted', () => {
    const entry = Object.assign(new ListEntryEntity(), { tenantId: 't1' });
    expect(() => rows.seal(ListEntryEntity, entry, 'sourceKey', 'x')).toThrow(
      /not registered in ENCRYPTED_COLUMNS/,
    );
  });
});
