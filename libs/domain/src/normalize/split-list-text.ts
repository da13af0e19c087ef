/**
 * A cell holding several values (CSV): split on new lines and on `;`, except the `;` of a phone
 * extension (`+14255550100;ext=12`).
 */
export function splitListText(value: string): string[] {
  return value.split(/\r?\n|;(?!\s*ext\s*[=.:]?\s*\d)/i);
}
