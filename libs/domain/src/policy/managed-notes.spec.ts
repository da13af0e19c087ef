import { SeededRandom } from '../testing/seeded-random';
import { DEFAULT_NOTES_MARKERS as M } from './contact-sync-policy';
import { composeManagedNotes, extractManagedNotes, userNotesOf } from './managed-notes';

const section = (text: string) => `${M.start}\n${text}\n${M.end}`;

describe('composeManagedNotes', () => {
  it('writes only our section into empty notes', () => {
    expect(composeManagedNotes(undefined, 'Cost centre CC-100', M)).toBe(
      section('Cost centre CC-100'),
    );
    expect(composeManagedNotes('', 'x', M)).toBe(section('x'));
  });

  it("appends our section after the user's notes, separated by a blank line", () => {
    expect(composeManagedNotes('Call after 5pm', 'CC-100', M)).toBe(
      `Call after 5pm\n\n${section('CC-100')}`,
    );
  });

  it('replaces our section in place and keeps the user text around it byte for byte', () => {
    const current = `Before  \r\n\r\n${section('old')}\r\nAfter\twith tab`;
    expect(composeManagedNotes(current, 'new\nsecond line', M)).toBe(
      `Before  \n\n${section('new\nsecond line')}\nAfter\twith tab`,
    );
  });

  it('removes our section (and the blank line we added) when we have nothing to say', () => {
    expect(composeManagedNotes(`Mine\n\n${section('old')}`, undefined, M)).toBe('Mine');
    expect(composeManagedNotes(section('old'), undefined, M)).toBeUndefined();
    expect(composeManagedNotes(`Mine\n\n${section('old')}`, '  \n ', M)).toBe('Mine');
  });

  it('leaves notes without our section untouched when we have nothing to say', () => {
    expect(composeManagedNotes('Mine\nline 2', undefined, M)).toBe('Mine\nline 2');
    expect(composeManagedNotes(undefined, undefined, M)).toBeUndefined();
  });

  it('collapses duplicate sections (a copy-paste) into the first', () => {
    const current = `A\n${section('one')}\nB\n\n${section('two')}\nC`;
    expect(composeManagedNotes(current, 'ours', M)).toBe(`A\n${section('ours')}\nB\nC`);
  });

  it('never treats an unterminated start marker as ours (the text after it is the user’s)', () => {
    const current = `A\n${M.start}\nuser text that must survive`;
    expect(composeManagedNotes(current, 'ours', M)).toBe(`${current}\n\n${section('ours')}`);
  });

  it('matches markers only as whole lines', () => {
    const current = `I wrote ${M.start} inline`;
    expect(composeManagedNotes(current, 'ours', M)).toBe(`${current}\n\n${section('ours')}`);
  });

  it('keeps marker lines out of our own text so the section cannot be cut short', () => {
    const notes = composeManagedNotes('Mine', `a\n${M.end}\nb`, M);
    expect(notes).toBe(`Mine\n\n${section('a\nb')}`);
    expect(extractManagedNotes(notes, M)).toBe('a\nb');
  });

  it('works with custom markers', () => {
    const markers = { start: '## ours', end: '## /ours' };
    expect(composeManagedNotes('x\n## ours\nold\n## /ours', 'new', markers)).toBe(
      'x\n## ours\nnew\n## /ours',
    );
  });

  it('is idempotent and never loses user lines (seeded property)', () => {
    const random = new SeededRandom(3);
    const userLines = ['Call after 5pm', 'Prefers Teams', '', 'Kids: 2', '  indented', M.start];
    for (let round = 0; round < 300; round++) {
      const parts: string[] = [];
      for (let i = random.int(0, 4); i > 0; i--) {
        parts.push(
          random.chance(0.3)
            ? section(random.pick(['old', 'older\nlines']))
            : random.pick(userLines),
        );
      }
      const current = parts.join(random.pick(['\n', '\r\n']));
      const ours = random.pick([undefined, 'CC-100', 'two\nlines']);
      const once = composeManagedNotes(current, ours, M);
      expect(composeManagedNotes(once, ours, M)).toBe(once);
      expect(extractManagedNotes(once, M)).toBe(ours);
      const userBefore = (userNotesOf(current, M) ?? '').split('\n').filter((l) => l.trim() !== '');
      const userAfter = (userNotesOf(once, M) ?? '').split('\n').filter((l) => l.trim() !== '');
      expect(userAfter).toEqual(userBefore);
    }
  });
});

describe('extractManagedNotes / userNotesOf', () => {
  it('split notes into ours and the user’s', () => {
    const notes = `Mine\n\n${section('ours\nmore')}\nAlso mine`;
    expect(extractManagedNotes(notes, M)).toBe('ours\nmore');
    expect(userNotesOf(notes, M)).toBe('Mine\nAlso mine');
    expect(extractManagedNotes('no section', M)).toBeUndefined();
  });
});
