import { NotFound } from '@app/admin';
import { holidayCountries, holidayCountry } from '@app/calendar';
import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';

const PLACE_PROPERTIES = { code: { type: 'string' }, name: { type: 'string' } };
const PLACE = { type: 'object', required: ['code', 'name'], properties: PLACE_PROPERTIES };

/** The answers of the holiday catalog, so the dashboard's client is typed from them. */
export const HOLIDAY_COUNTRIES_SCHEMA = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: PLACE } },
};
export const HOLIDAY_COUNTRY_SCHEMA = {
  type: 'object',
  required: ['code', 'name', 'languages', 'states'],
  properties: {
    ...PLACE_PROPERTIES,
    languages: { type: 'array', items: { type: 'string' } },
    states: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'regions'],
        properties: { ...PLACE_PROPERTIES, regions: { type: 'array', items: PLACE } },
      },
    },
  },
};

/**
 * What a calendar list's `holidays` source can name: the holiday library's countries, states,
 * regions and languages, read from the library the planner uses (so the picker offers exactly
 * what the API accepts). The same for every tenant; reads only.
 */
@ApiTags('calendar-lists')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/holidays/countries')
@UseGuards(AuthGuard)
export class HolidaysController {
  @Get()
  @ApiOperation({ summary: 'Countries with public holiday data (code, English name)' })
  @ApiOkResponse({ schema: HOLIDAY_COUNTRIES_SCHEMA })
  countries() {
    return { items: holidayCountries() };
  }

  @Get(':country')
  @ApiParam({ name: 'country', description: 'ISO 3166-1 alpha-2 code, e.g. DE' })
  @ApiOperation({
    summary:
      "One country's states with their regions and the languages its holiday names come in (404 if unknown)",
  })
  @ApiOkResponse({ schema: HOLIDAY_COUNTRY_SCHEMA })
  country(@Param('country') code: string) {
    const detail = holidayCountry(code);
    if (!detail) throw new NotFound('holiday country');
    return detail;
  }
}
