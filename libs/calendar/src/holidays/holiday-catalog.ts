import Holidays from 'date-holidays';

export interface HolidayPlace {
  code: string;
  name: string;
}

export interface HolidayCountryDetail extends HolidayPlace {
  /** ISO 639-1 languages the library names this country's holidays in (the first is its own). */
  languages: string[];
  states: Array<HolidayPlace & { regions: HolidayPlace[] }>;
}

const byName = (a: HolidayPlace, b: HolidayPlace) => a.name.localeCompare(b.name, 'en');
const places = (o: Record<string, string> | undefined): HolidayPlace[] =>
  Object.entries(o ?? {})
    .map(([code, name]) => ({ code, name }))
    .sort(byName);

/**
 * The countries the holiday library (date-holidays) knows, named in English, so a picker offers
 * exactly what a `holidays` source accepts ("Holidays DE-BY" is two choices, not data entry).
 */
export function holidayCountries(): HolidayPlace[] {
  return places(new Holidays().getCountries('en'));
}

/** One country's states with their regions and the languages of its names; null if unknown. */
export function holidayCountry(code: string): HolidayCountryDetail | null {
  const country = code.toUpperCase();
  const lib = new Holidays();
  const name = lib.getCountries('en')[country];
  if (!/^[A-Z]{2}$/.test(country) || !name) return null;
  const states = places(lib.getStates(country, 'en')).map((s) => ({
    ...s,
    regions: places(lib.getRegions(country, s.code, 'en')),
  }));
  return {
    code: country,
    name,
    languages: new Holidays(country).getLanguages(),
    states,
  };
}
