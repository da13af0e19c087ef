/** true/1/yes and false/0/no, any case; anything else is not a boolean (undefined). */
export function parseBoolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return undefined;
}
