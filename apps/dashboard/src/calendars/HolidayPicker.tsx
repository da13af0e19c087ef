import { Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import type { CalendarSource, HolidayType } from '../api/views-calendar';
import { useHolidayCountries, useHolidayCountry } from './calendar-queries';

type HolidaySource = Extract<CalendarSource, { kind: 'holidays' }>;

const TYPES: Array<{ value: HolidayType; label: string }> = [
  { value: 'public', label: 'Public holidays' },
  { value: 'bank', label: 'Bank holidays' },
  { value: 'school', label: 'School holidays' },
  { value: 'optional', label: 'Optional holidays' },
  { value: 'observance', label: 'Observances' },
];

function languageName(code: string): string {
  try {
    const names = new Intl.DisplayNames(['en'], { type: 'language' });
    return `${names.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

/**
 * Public holidays by choice, not data entry: a country, then (if it has them) a state and a
 * region, the language of the names and which kinds of day, from the holiday library's own
 * catalog (GET /api/holidays/countries), so what is offered is what the API accepts.
 */
export function HolidayPicker({
  source,
  onChange,
  readOnly,
  errorOf,
}: {
  source: HolidaySource;
  onChange: (next: HolidaySource) => void;
  readOnly: boolean;
  errorOf: (field: string) => string | undefined;
}) {
  const countries = useHolidayCountries();
  const detail = useHolidayCountry(source.country || null);
  const state = detail.data?.states.find((s) => s.code === source.state);
  const types = source.types?.length ? source.types : ['public'];
  return (
    <Stack gap="sm">
      <Select
        label="Country"
        placeholder={countries.isPending ? 'Loading countries…' : 'Pick a country'}
        data={(countries.data?.items ?? []).map((c) => ({
          value: c.code,
          label: `${c.name} (${c.code})`,
        }))}
        value={source.country || null}
        onChange={(v) =>
          onChange({
            id: source.id,
            kind: 'holidays',
            country: v ?? '',
            ...(source.types ? { types: source.types } : {}),
          })
        }
        searchable
        nothingFoundMessage="No country of that name"
        error={
          errorOf('country') ??
          (countries.isError ? 'The countries could not be loaded' : undefined)
        }
        withAsterisk
        readOnly={readOnly}
      />
      {detail.data && detail.data.states.length > 0 && (
        <Select
          label="State or province"
          description="Leave empty for the holidays of the whole country"
          placeholder="The whole country"
          data={detail.data.states.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))}
          value={source.state ?? null}
          onChange={(v) => {
            const { state: _s, region: _r, ...rest } = source;
            onChange(v ? { ...rest, state: v } : rest);
          }}
          searchable
          clearable={!readOnly}
          error={errorOf('state')}
          readOnly={readOnly}
        />
      )}
      {state && state.regions.length > 0 && (
        <Select
          label="Region"
          description="Some holidays hold only in part of the state"
          placeholder="The whole state"
          data={state.regions.map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }))}
          value={source.region ?? null}
          onChange={(v) => {
            const { region: _r, ...rest } = source;
            onChange(v ? { ...rest, region: v } : rest);
          }}
          clearable={!readOnly}
          error={errorOf('region')}
          readOnly={readOnly}
        />
      )}
      {detail.data && detail.data.languages.length > 1 && (
        <Select
          label="Language of the names"
          placeholder={`The country’s own (${languageName(detail.data.languages[0])})`}
          data={detail.data.languages.map((l) => ({ value: l, label: languageName(l) }))}
          value={source.language ?? null}
          onChange={(v) => {
            const { language: _l, ...rest } = source;
            onChange(v ? { ...rest, language: v } : rest);
          }}
          clearable={!readOnly}
          error={errorOf('language')}
          readOnly={readOnly}
        />
      )}
      <Checkbox.Group
        label="Which days"
        value={types}
        onChange={(v) =>
          onChange({ ...source, types: (v.length ? v : ['public']) as HolidayType[] })
        }
        error={errorOf('types')}
      >
        <Group gap="md" mt={4}>
          {TYPES.map((t) => (
            <Checkbox key={t.value} value={t.value} label={t.label} disabled={readOnly} />
          ))}
        </Group>
      </Checkbox.Group>
      <Text size="xs" c="dimmed">
        Holiday data: date-holidays, licensed CC BY 3.0. Holidays are pushed as all-day, free
        events.
      </Text>
    </Stack>
  );
}
