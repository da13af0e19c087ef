/**
 * Compact storage of Outlook contacts, so the simulator can hold the benchmark's L tier
 * (10,000 mailboxes x 500 contacts) in a few hundred MB. The contact a product pushes to many
 * mailboxes is the same in each of them, so:
 * - contact bodies and extended-property sets are interned in a per-tenant pool (content
 *   addressed, reference counted): a body shared by 10,000 mailboxes is held once;
 * - an item holds only numbers and references: its number in the mailbox, change sequence,
 *   timestamps as seconds, the shared body, the shared property set;
 * - its Graph id and changeKey are derived from (mailbox number, item number, sequence) when
 *   rendered and parsed back at the edge, so mailbox maps are keyed by small integers.
 * What goes over the wire is what a plain object per item gave: same keys, same order.
 */
import type * as MG from '@microsoft/microsoft-graph-types';
import { randomBytes } from 'node:crypto';
import { decodeId, encodeId } from '../core/ids';
import type { ExtProp } from './model';

/** Per-process salt: ids of one simulator run are never valid in another, nor after a reset. */
const SALT = randomBytes(8);
const CK_KEYS = [randomBytes(4).readUInt32BE(0), randomBytes(4).readUInt32BE(0)];
let mailboxCounter = 0;

/** A number for a new mailbox's contact table; unique within the process. */
export function nextMailboxNo(): number {
  return ++mailboxCounter;
}

/** Item fields held per item and rendered in place of the body's placeholder. */
const PER_ITEM = new Set([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'parentFolderId',
]);
const SLOT: unique symbol = Symbol('per-item');

// --- timestamps: whole seconds since 2020 fit a small integer (no heap number per field) ---
const EPOCH_S = Date.UTC(2020, 0, 1) / 1000;

function renderStamp(s: number | string): string {
  return typeof s === 'string'
    ? s
    : new Date((s + EPOCH_S) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The stamp of an ISO time; the string itself when it would not render back identically. */
function toStamp(iso: unknown): number | string {
  if (typeof iso !== 'string') return 0; // no such key: never rendered
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || ms % 1000 !== 0) return iso;
  const s = ms / 1000 - EPOCH_S;
  return renderStamp(s) === iso ? s : iso;
}

export function nowStamp(): number {
  return Math.floor(Date.now() / 1000) - EPOCH_S;
}

// --- ids and change keys ---
function renderContactId(mbNo: number, no: number): string {
  const p = Buffer.allocUnsafe(16);
  SALT.copy(p, 0);
  p.writeUInt32BE(mbNo, 8);
  p.writeUInt32BE(no, 12);
  return encodeId(p);
}

/** (mailbox number, item number) of an id this process rendered; undefined otherwise. */
function parseContactId(id: string): { mbNo: number; no: number } | undefined {
  const p = decodeId(id);
  if (!p || p.length !== 16 || SALT.compare(p, 0, 8, 0, 8) !== 0) return undefined;
  return { mbNo: p.readUInt32BE(8), no: p.readUInt32BE(12) };
}

/** murmur3's finaliser: a bijection on 32 bits, so distinct inputs give distinct words. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 12 bytes in base64 like Exchange's; distinct for every (mailbox, item, sequence). */
function renderChangeKey(mbNo: number, no: number, seq: number): string {
  const b = Buffer.allocUnsafe(12);
  b.writeUInt32BE(mix(no ^ CK_KEYS[0]), 0);
  b.writeUInt32BE(mix(seq ^ CK_KEYS[1]), 4);
  b.writeUInt32BE(mix(mbNo), 8);
  return b.toString('base64');
}

// --- interning ---
interface Interned {
  key: string;
  refs: number;
}

/** Immutable contact fields in their key order; per-item keys hold SLOT. */
class ContactBody implements Interned {
  refs = 0;
  constructor(
    readonly key: string,
    readonly keys: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** An interned set of extended properties (frozen). */
class ExtSet implements Interned {
  refs = 0;
  constructor(
    readonly key: string,
    readonly props: readonly ExtProp[],
  ) {}
}
const NO_EXT = new ExtSet('', Object.freeze([]));

/** For interning keys: a placeholder is 0, and undefined stays apart from null. */
const UNDEFINED = { '\u0000undefined': 1 };
function keyPart(_k: string, v: unknown): unknown {
  return v === SLOT ? 0 : v === undefined ? UNDEFINED : v;
}

function deepFreeze(v: unknown): void {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
}

/** Bodies and property sets of one tenant's contacts, each held once however many items use it. */
export class ContactPool {
  private readonly bodies = new Map<string, ContactBody>();
  private readonly exts = new Map<string, ExtSet>();

  /** The interned body of `data` (per-item keys keep their place, their values are ignored). */
  body(data: object): ContactBody {
    const keys = Object.keys(data);
    const values = keys.map((k) => (PER_ITEM.has(k) ? SLOT : (data as Record<string, unknown>)[k]));
    const key = JSON.stringify([keys, values], keyPart);
    let b = this.bodies.get(key);
    if (!b) {
      deepFreeze(values);
      this.bodies.set(key, (b = new ContactBody(key, Object.freeze(keys), values)));
    }
    b.refs++;
    return b;
  }

  ext(props: readonly ExtProp[]): ExtSet {
    if (props.length === 0) return NO_EXT;
    const key = JSON.stringify(props.map((p) => [p.id, p.value]));
    let e = this.exts.get(key);
    if (!e) {
      const arr = props.map((p) => Object.freeze({ id: p.id, value: p.value }));
      this.exts.set(key, (e = new ExtSet(key, Object.freeze(arr))));
    }
    e.refs++;
    return e;
  }

  releaseBody(b: ContactBody): void {
    if (--b.refs === 0) this.bodies.delete(b.key);
  }

  releaseExt(e: ExtSet): void {
    if (e === NO_EXT) return;
    if (--e.refs === 0) this.exts.delete(e.key);
  }

  /** Distinct bodies and property sets held (for tests and the memory bench). */
  get sizes(): { bodies: number; exts: number } {
    return { bodies: this.bodies.size, exts: this.exts.size };
  }
}

/** Rare per-item data: seeded items keep the id and changeKey they were given; photos. */
interface ItemExtra {
  id?: string;
  changeKey?: string;
  photo?: Buffer;
  /** The Content-Type the photo was uploaded with (returned by GET .../photo/$value). */
  photoType?: string;
}

/** One contact in a mailbox. Reading `data` renders a fresh object: write through the methods. */
export class ContactItem {
  constructor(
    readonly table: ContactTable,
    readonly no: number,
    public folderId: string,
    public seq: number,
    public created: number | string,
    public modified: number | string,
    private body: ContactBody,
    private extSet: ExtSet,
    private extra: ItemExtra | undefined,
  ) {}

  /** The id the item was seeded with, if any. */
  get givenId(): string | undefined {
    return this.extra?.id;
  }

  get kind(): 'contact' {
    return 'contact';
  }

  get id(): string {
    return this.extra?.id ?? renderContactId(this.table.mbNo, this.no);
  }

  get changeKey(): string {
    return this.extra?.changeKey ?? renderChangeKey(this.table.mbNo, this.no, this.seq);
  }

  /** The Graph contact, rendered; nested values are shared and frozen. */
  get data(): MG.Contact & { id: string } {
    const { keys, values } = this.body;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = values[i];
      out[keys[i]] = v === SLOT ? this.slot(keys[i]) : v;
    }
    return out as unknown as MG.Contact & { id: string };
  }

  private slot(k: string): string {
    switch (k) {
      case 'id':
        return this.id;
      case 'changeKey':
        return this.changeKey;
      case 'createdDateTime':
        return renderStamp(this.created);
      case 'lastModifiedDateTime':
        return renderStamp(this.modified);
      default:
        return this.folderId;
    }
  }

  /** Replaces the fields (id, changeKey, timestamps and folder stay the item's). */
  setData(data: object): void {
    const b = this.table.pool.body(data);
    this.table.pool.releaseBody(this.body);
    this.body = b;
  }

  get ext(): readonly ExtProp[] {
    return this.extSet.props;
  }

  set ext(props: readonly ExtProp[]) {
    const e = this.table.pool.ext(props);
    this.table.pool.releaseExt(this.extSet);
    this.extSet = e;
  }

  get photo(): Buffer | undefined {
    return this.extra?.photo;
  }

  set photo(p: Buffer | undefined) {
    this.extra = { ...this.extra, photo: p };
  }

  get photoType(): string | undefined {
    return this.extra?.photoType;
  }

  set photoType(t: string | undefined) {
    this.extra = { ...this.extra, photoType: t };
  }

  /** A change: new sequence number (so a new changeKey) and modification time. */
  touch(seq: number): void {
    this.seq = seq;
    this.modified = nowStamp();
    if (this.extra?.changeKey !== undefined) this.extra = { ...this.extra, changeKey: undefined };
  }

  /** Drops the shared parts' references (the item is gone). */
  release(): void {
    this.table.pool.releaseBody(this.body);
    this.table.pool.releaseExt(this.extSet);
  }
}

/**
 * Deleted contacts a delta still has to report: parallel arrays of small integers (the id as
 * the item number, or the seeded id string).
 */
export class ContactTombstones {
  private ids: (number | string)[] = [];
  private folders: string[] = [];
  private seqs: number[] = [];
  private at: number[] = [];

  get length(): number {
    return this.ids.length;
  }

  push(id: number | string, folderId: string, seq: number): void {
    this.ids.push(id);
    this.folders.push(folderId);
    this.seqs.push(seq);
    this.at.push(nowStamp());
  }

  /** Tombstones of `folderId` with base < seq <= snap, as Graph ids. */
  *between(table: ContactTable, folderId: string, base: number, snap: number): Iterable<string> {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.folders[i] === folderId && this.seqs[i] > base && this.seqs[i] <= snap) {
        const id = this.ids[i];
        yield typeof id === 'string' ? id : renderContactId(table.mbNo, id);
      }
    }
  }

  /** Like `between`, with each tombstone's change number (EWS SyncFolderItems orders by it). */
  *entries(
    table: ContactTable,
    folderId: string,
    base: number,
    snap: number,
  ): Iterable<{ id: string; seq: number }> {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.folders[i] === folderId && this.seqs[i] > base && this.seqs[i] <= snap) {
        const id = this.ids[i];
        yield {
          id: typeof id === 'string' ? id : renderContactId(table.mbNo, id),
          seq: this.seqs[i],
        };
      }
    }
  }

  /**
   * Forgets tombstones no valid delta token can need: a token lives at most `ttlSeconds` and
   * its round of pages started at most `ttlSeconds` before it was issued.
   */
  prune(ttlSeconds: number): void {
    const cutoff = nowStamp() - 2 * ttlSeconds - 60;
    let keep = 0;
    while (keep < this.at.length && this.at[keep] < cutoff) keep++;
    if (keep === 0) return;
    this.ids = this.ids.slice(keep);
    this.folders = this.folders.slice(keep);
    this.seqs = this.seqs.slice(keep);
    this.at = this.at.slice(keep);
  }
}

/** A mailbox's contacts, keyed by item number, in creation order. */
export class ContactTable {
  private readonly items = new Map<number, ContactItem>();
  /** seeded items' given ids -> item number */
  private explicit?: Map<string, number>;
  private next = 0;
  readonly tombstones = new ContactTombstones();

  constructor(
    readonly pool: ContactPool,
    readonly mbNo: number = nextMailboxNo(),
  ) {}

  get size(): number {
    return this.items.size;
  }

  values(): IterableIterator<ContactItem> {
    return this.items.values();
  }

  get(id: string): ContactItem | undefined {
    const e = this.explicit?.get(id);
    if (e !== undefined) return this.items.get(e);
    const ref = parseContactId(id);
    return ref && ref.mbNo === this.mbNo ? this.items.get(ref.no) : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /**
   * Adds a contact with these fields (createdDateTime / lastModifiedDateTime read from them).
   * `given` keeps an id and changeKey chosen by the caller (seeding); otherwise both are derived.
   */
  create(
    folderId: string,
    data: MG.Contact,
    ext: readonly ExtProp[],
    seq: number,
    given?: { id: string; changeKey?: string },
  ): ContactItem {
    const no = ++this.next;
    const item = new ContactItem(
      this,
      no,
      folderId,
      seq,
      toStamp(data.createdDateTime),
      toStamp(data.lastModifiedDateTime),
      this.pool.body(data),
      this.pool.ext(ext),
      given ? { id: given.id, changeKey: given.changeKey } : undefined,
    );
    if (given) (this.explicit ??= new Map()).set(given.id, no);
    this.items.set(no, item);
    return item;
  }

  /** Removes the item and records its tombstone at `seq`. */
  delete(item: ContactItem, seq: number): void {
    if (this.items.get(item.no) !== item) return;
    this.items.delete(item.no);
    const given = item.givenId;
    if (given !== undefined) this.explicit?.delete(given);
    this.tombstones.push(given ?? item.no, item.folderId, seq);
    item.release();
  }
}
