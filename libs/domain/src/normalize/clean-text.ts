// C0/C1 control characters other than tab and line breaks: Exchange refuses some, none are meant.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * A single-line value as we store it: NFC, control characters removed, every run of whitespace
 * (tabs, line breaks, no-break spaces) collapsed to one space, trimmed. Empty → `undefined`.
 */
export function cleanText(value: string): string | undefined {
  const cleaned = value.normalize('NFC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

/**
 * Multi-line text (notes): NFC, `\n` line endings (Outlook may hand back `\r\n`), trailing
 * spaces of each line removed, leading/trailing blank lines removed. Empty → `undefined`.
 */
export function cleanNotes(value: string): string | undefined {
  const cleaned = value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return cleaned.trim() === '' ? undefined : cleaned;
}
