import { ICalendarInvalid } from './icalendar-invalid';

/** One content line after unfolding, with the physical line it started on (1-based). */
export interface IcsLine {
  line: number;
  name: string;
  text: string;
}

const CONTENT_LINE =
  /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/;

/**
 * Unfolds an iCalendar text (RFC 5545 §3.1: a line starting with a space or tab continues the
 * previous one) and checks each content line's shape and the BEGIN/END nesting, so an error
 * names the line and the reason before any library sees the text.
 */
export function icsLines(text: string): IcsLine[] {
  if (text.includes('\u0000')) throw new ICalendarInvalid(1, 'the file holds NUL bytes: not text');
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const lines: IcsLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    if (/^[ \t]/.test(raw)) {
      const last = lines[lines.length - 1];
      if (!last) throw new ICalendarInvalid(i + 1, 'a continuation line before any content line');
      last.text += raw.slice(1);
      continue;
    }
    if (raw.trim() === '') continue;
    lines.push({ line: i + 1, name: '', text: raw });
  }
  const open: Array<{ name: string; line: number }> = [];
  for (const l of lines) {
    const m = CONTENT_LINE.exec(l.text);
    if (!m) throw new ICalendarInvalid(l.line, 'not a content line (NAME;PARAMS:VALUE)');
    l.name = m[1]!.toUpperCase();
    const value = m[3]!.trim().toUpperCase();
    if (l.name === 'BEGIN') open.push({ name: value, line: l.line });
    if (l.name === 'END') {
      const top = open.pop();
      if (!top) throw new ICalendarInvalid(l.line, `END:${value} without a BEGIN`);
      if (top.name !== value)
        throw new ICalendarInvalid(
          l.line,
          `END:${value} closes BEGIN:${top.name} of line ${top.line}`,
        );
    }
  }
  if (open.length) {
    const top = open[open.length - 1]!;
    throw new ICalendarInvalid(top.line, `BEGIN:${top.name} is never closed`);
  }
  if (
    !lines.length ||
    lines[0]!.name !== 'BEGIN' ||
    !/^VCALENDAR$/i.test(lines[0]!.text.split(':')[1] ?? '')
  )
    throw new ICalendarInvalid(lines[0]?.line ?? 1, 'the file does not start with BEGIN:VCALENDAR');
  return lines;
}
