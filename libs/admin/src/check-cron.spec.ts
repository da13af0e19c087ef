import { checkCron } from './schedules.service';

describe('checkCron', () => {
  it('refuses a seconds field', () => {
    expect(checkCron('0 */5 * * * *', 'UTC', 5).problems).toEqual([
      { field: 'cron', message: expect.stringMatching(/seconds field is not accepted/) },
    ]);
  });

  it.each([
    ['* * * * *', 1],
    ['*/4 * * * *', 4],
    // Mostly hourly, but twice within a minute once a day.
    ['0,1 9 * * *', 1],
    ['0 * * * *,30', undefined],
  ])('refuses %s, which fires closer than the minimum interval', (cron, gap) => {
    const { problems } = checkCron(cron, 'Europe/Berlin', 5);
    if (gap === undefined) expect(problems[0]?.field).toBe('cron');
    else
      expect(problems).toEqual([
        {
          field: 'cron',
          message: `fires ${gap} minute(s) apart; schedules may fire at most every 5 minutes`,
        },
      ]);
  });

  it.each(['*/5 * * * *', '0 6 * * 1-5', '0 0 1 * *', '30 2 29 2 *'])(
    'accepts %s at a 5-minute minimum, with the next three fire times',
    (cron) => {
      const { problems, next } = checkCron(cron, 'UTC', 5);
      expect(problems).toEqual([]);
      expect(next).toHaveLength(3);
    },
  );

  it('takes the minimum from the caller', () => {
    expect(checkCron('*/5 * * * *', 'UTC', 10).problems).toHaveLength(1);
    expect(checkCron('*/10 * * * *', 'UTC', 10).problems).toEqual([]);
  });
});
