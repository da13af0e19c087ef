const dateParts = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dateParts.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone name. */
export function isIanaZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time (`YYYY-MM-DDTHH:mm:ss`) an instant shows in a zone. */
export function localTimeIn(instant: Date, timeZone: string): string {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/**
 * The instant a wall-clock time in a zone stands for (the earlier one in a repeated hour, the
 * hour after in a skipped one): two corrections of a first UTC guess by the zone's offset.
 */
export function instantOf(local: string, timeZone: string): Date {
  const asUtc = Date.parse(`${local}Z`);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = Date.parse(`${localTimeIn(new Date(guess), timeZone)}Z`);
    guess += asUtc - shown;
  }
  return new Date(guess);
}
