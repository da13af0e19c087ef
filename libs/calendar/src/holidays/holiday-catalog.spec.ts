import { holidayEvents } from './holiday-events';
import { holidayCountries, holidayCountry } from './holiday-catalog';

describe('holiday catalog', () => {
  it('lists the library’s countries by English name, each one a holidays source accepts', () => {
    const countries = holidayCountries();
    expect(countries.length).toBeGreaterThan(150);
    expect(countries).toContainEqual({ code: 'DE', name: 'Germany' });
    const names = countries.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    for (const c of countries.slice(0, 20))
      expect(() => holidayEvents({ country: c.code, years: [2027] })).not.toThrow();
  });

  it('gives a country’s states with their regions and the languages of the names', () => {
    const de = holidayCountry('de')!;
    expect(de).toMatchObject({ code: 'DE', name: 'Germany', languages: ['de', 'en'] });
    expect(de.states).toHaveLength(16);
    const by = de.states.find((s) => s.code === 'BY')!;
    expect(by.name).toBe('Bayern');
    expect(by.regions.map((r) => r.code).sort()).toEqual(['A', 'EVANG', 'KATH']);
    expect(de.states.find((s) => s.code === 'BE')!.regions).toEqual([]);
    // What the catalog offers, a holidays source accepts.
    expect(
      holidayEvents({ country: 'DE', state: 'BY', region: 'KATH', years: [2027] }).length,
    ).toBe(13);
  });

  it('answers null for a country the library does not know', () => {
    expect(holidayCountry('XX')).toBeNull();
    expect(holidayCountry('toString')).toBeNull();
  });
});
