import { instantOf, isIanaZone, localTimeIn } from './zoned-time';

describe('zoned time', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isIanaZone('America/New_York')).toBe(true);
    expect(isIanaZone('Asia/Kolkata')).toBe(true);
    expect(isIanaZone('W. Europe Standard Time')).toBe(false);
  });

  it('converts between instants and wall-clock times, across DST', () => {
    expect(localTimeIn(new Date('2027-01-05T14:00:00Z'), 'America/New_York')).toBe(
      '2027-01-05T09:00:00',
    );
    expect(instantOf('2027-07-05T09:00:00', 'America/New_York').toISOString()).toBe(
      '2027-07-05T13:00:00.000Z',
    );
    expect(instantOf('2027-01-05T09:30:00', 'Asia/Kolkata').toISOString()).toBe(
      '2027-01-05T04:00:00.000Z',
    );
    // Midnight in Berlin is the previous day in UTC.
    expect(instantOf('2027-05-01T00:00:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-04-30T22:00:00.000Z',
    );
  });
});
