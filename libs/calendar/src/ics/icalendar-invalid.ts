import { CodedError } from '@app/domain';

/** An iCalendar text that cannot be read: where (the physical line) and why. */
export class ICalendarInvalid extends CodedError {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super('icalendar_invalid', `iCalendar line ${line}: ${reason}`, {
      status: 400,
      details: { line, reason },
    });
  }
}
