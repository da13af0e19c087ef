import { cleanNotes } from '../normalize/clean-text';
import type { NotesMarkers } from './contact-sync-policy';

interface Section {
  readonly from: number;
  /** Index of the end marker line (inclusive). */
  readonly to: number;
}

function lines(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.replace(/\r\n?/g, '\n').split('\n');
}

/**
 * Complete sections: a start-marker line, then an end-marker line, with no other start marker
 * between (whole lines, trimmed). A start marker that is never closed is the user's text: we
 * never cut from it to the end of the notes.
 */
function findSections(all: readonly string[], markers: NotesMarkers): Section[] {
  const start = markers.start.trim();
  const end = markers.end.trim();
  const sections: Section[] = [];
  let openAt: number | undefined;
  all.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === start) openAt = i;
    else if (trimmed === end && openAt !== undefined) {
      sections.push({ from: openAt, to: i });
      openAt = undefined;
    }
  });
  return sections;
}

function trimBlankEdges(all: string[]): string[] {
  let from = 0;
  let to = all.length;
  while (from < to && all[from]!.trim() === '') from++;
  while (to > from && all[to - 1]!.trim() === '') to--;
  return all.slice(from, to);
}

/** Our text inside the first managed section of `notes`, if any. */
export function extractManagedNotes(
  notes: string | undefined,
  markers: NotesMarkers,
): string | undefined {
  const all = lines(notes);
  const [section] = findSections(all, markers);
  return section ? cleanNotes(all.slice(section.from + 1, section.to).join('\n')) : undefined;
}

/** The user's own notes: everything outside our sections. */
export function userNotesOf(notes: string | undefined, markers: NotesMarkers): string | undefined {
  return composeManagedNotes(notes, undefined, markers);
}

/**
 * The notes to store: the user's text as it is, with our section (markers + `managed`) put where
 * it was, or appended after a blank line. `managed` undefined removes our section (and the blank
 * line we added before it). Duplicate sections (a user's copy-paste) collapse into the first.
 * Idempotent: composing the result again with the same `managed` gives the same text.
 * Returns `undefined` when nothing remains.
 */
export function composeManagedNotes(
  current: string | undefined,
  managed: string | undefined,
  markers: NotesMarkers,
): string | undefined {
  const all = lines(current);
  const sections = findSections(all, markers);
  const ours = cleanNotes(managed ?? '');
  // Marker lines inside our own text would cut the section short on the next read: drop them.
  const body = (ours ?? '')
    .split('\n')
    .filter((line) => line.trim() !== markers.start.trim() && line.trim() !== markers.end.trim());
  const block =
    ours === undefined || body.every((line) => line.trim() === '')
      ? []
      : [markers.start.trim(), ...body, markers.end.trim()];
  const out: string[] = [];
  let cursor = 0;
  sections.forEach((section, i) => {
    const before = all.slice(cursor, section.from);
    if (i === 0 && block.length > 0) out.push(...before, ...block);
    else out.push(...trimTrailingBlank(before));
    cursor = section.to + 1;
  });
  out.push(...all.slice(cursor));
  if (sections.length === 0 && block.length > 0) {
    const user = trimBlankEdges(out);
    out.length = 0;
    out.push(...user, ...(user.length > 0 ? [''] : []), ...block);
  }
  const result = trimBlankEdges(out).join('\n');
  return result === '' ? undefined : result;
}

function trimTrailingBlank(all: string[]): string[] {
  let to = all.length;
  while (to > 0 && all[to - 1]!.trim() === '') to--;
  return all.slice(0, to);
}
