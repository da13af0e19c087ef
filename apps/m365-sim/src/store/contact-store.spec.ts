import { decodeId, newItemId } from '../core/ids';
import { ContactPool, ContactTable } from './contact-store';

const TAG = 'String {8f2b0c6e-51a4-4b9e-a3d7-6c0e2f1d9b47} Name CsListId';

function body(givenName: string): Record<string, unknown> {
  return {
    id: '',
    createdDateTime: '2024-01-15T09:00:00Z',
    lastModifiedDateTime: '2024-01-15T09:00:00Z',
    changeKey: '',
    categories: [],
    parentFolderId: '',
    givenName,
    emailAddresses: [{ address: `${givenName}@example.com`, name: givenName }],
    businessAddress: {},
  };
}

describe('ContactTable', () => {
  it('renders the fields in their key order, with the item id, changeKey, times and folder', () => {
    const table = new ContactTable(new ContactPool());
    const c = table.create('folder-1', body('Ada'), [], 1);
    const data = c.data as unknown as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(Object.keys(body('Ada')));
    expect(data).toMatchObject({
      id: c.id,
      changeKey: c.changeKey,
      createdDateTime: '2024-01-15T09:00:00Z',
      lastModifiedDateTime: '2024-01-15T09:00:00Z',
      parentFolderId: 'folder-1',
      givenName: 'Ada',
    });
    expect(c.id).toMatch(/^AAMkA[A-Za-z0-9_-]+=$/);
    expect(c.id).toHaveLength(newItemId().length);
    expect(decodeId(c.id)).toBeDefined();
    expect(c.changeKey).toMatch(/^[A-Za-z0-9+/]{16}$/);
  });

  it('finds an item by its id only in its own mailbox', () => {
    const pool = new ContactPool();
    const a = new ContactTable(pool);
    const b = new ContactTable(pool);
    const c = a.create('f', body('Ada'), [], 1);
    expect(a.get(c.id)).toBe(c);
    expect(b.get(c.id)).toBeUndefined();
    expect(a.get(newItemId())).toBeUndefined();
    expect(a.get('AAMkAnot-an-id=')).toBeUndefined();
  });

  it('holds a body and a property set once however many mailboxes use them, and frees them', () => {
    const pool = new ContactPool();
    const tables = [new ContactTable(pool), new ContactTable(pool), new ContactTable(pool)];
    const items = tables.map((t, i) =>
      t.create('f', body('Ada'), [{ id: TAG, value: 'list-1' }], i + 1),
    );
    expect(pool.sizes).toEqual({ bodies: 1, exts: 1 });
    expect(items[0].ext).toBe(items[2].ext);
    items[0].setData({ ...items[0].data, givenName: 'Grace' });
    expect(pool.sizes.bodies).toBe(2);
    expect(items[0].data.givenName).toBe('Grace');
    expect(items[1].data.givenName).toBe('Ada');
    tables[1].delete(items[1], 10);
    tables[2].delete(items[2], 10);
    expect(pool.sizes).toEqual({ bodies: 1, exts: 1 });
    items[0].ext = [];
    expect(pool.sizes).toEqual({ bodies: 1, exts: 0 });
  });

  it('keeps shared values frozen, so one mailbox cannot change another', () => {
    const pool = new ContactPool();
    const c = new ContactTable(pool).create('f', body('Ada'), [{ id: TAG, value: 'x' }], 1);
    expect(() => (c.data.emailAddresses as unknown[]).push({ address: 'x' })).toThrow(TypeError);
    expect(() => (c.ext as unknown[]).push({ id: TAG, value: 'y' })).toThrow(TypeError);
  });

  it('tells undefined from null when interning', () => {
    const pool = new ContactPool();
    const t = new ContactTable(pool);
    t.create('f', { ...body('Ada'), surname: null }, [], 1);
    const b = t.create('f', { ...body('Ada'), surname: undefined }, [], 2);
    expect(pool.sizes.bodies).toBe(2);
    expect(JSON.stringify(b.data)).not.toContain('surname');
  });

  it('gives a new changeKey on every change, distinct across items', () => {
    const t = new ContactTable(new ContactPool());
    const a = t.create('f', body('Ada'), [], 1);
    const b = t.create('f', body('Ada'), [], 2);
    const before = a.changeKey;
    expect(b.changeKey).not.toBe(before);
    a.touch(3);
    expect(a.changeKey).not.toBe(before);
    expect(a.data.lastModifiedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.data.createdDateTime).toBe('2024-01-15T09:00:00Z');
  });

  it('keeps a seeded id and changeKey until the first change', () => {
    const t = new ContactTable(new ContactPool());
    const id = newItemId();
    const c = t.create('f', body('Ada'), [], 1, { id, changeKey: 'EQAAABYAAAA0' });
    expect(t.get(id)).toBe(c);
    expect(c.data.id).toBe(id);
    expect(c.changeKey).toBe('EQAAABYAAAA0');
    c.touch(2);
    expect(c.changeKey).not.toBe('EQAAABYAAAA0');
    expect(c.id).toBe(id);
    t.delete(c, 3);
    expect(t.get(id)).toBeUndefined();
    expect([...t.tombstones.between(t, 'f', 2, 3)]).toEqual([id]);
  });

  it('reports deleted items of a folder between two sequence numbers', () => {
    const t = new ContactTable(new ContactPool());
    const a = t.create('f', body('Ada'), [], 1);
    const b = t.create('g', body('Bob'), [], 2);
    const c = t.create('f', body('Cy'), [], 3);
    const ids = [a.id, b.id, c.id];
    t.delete(a, 4);
    t.delete(b, 5);
    t.delete(c, 6);
    expect(t.size).toBe(0);
    expect(t.get(ids[0])).toBeUndefined();
    expect([...t.tombstones.between(t, 'f', 3, 6)]).toEqual([ids[0], ids[2]]);
    expect([...t.tombstones.between(t, 'f', 4, 6)]).toEqual([ids[2]]);
    t.tombstones.prune(7 * 24 * 3600);
    expect(t.tombstones.length).toBe(3);
  });
});
