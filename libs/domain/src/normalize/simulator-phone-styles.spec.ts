import { SeededRandom } from '../testing/seeded-random';
import { normalizePhoneNumber } from './normalize-phone-number';
import type { PhoneRegion } from './phone-region';

/**
 * The styles people actually type (and the simulator seeds): every one must come out as the
 * same E.164 number, with the person's usage location as the hint and a US list default.
 * The expected value is built from the parts, not from the code under test.
 */
describe('phone styles of a multi-country tenant', () => {
  const random = new SeededRandom(31);
  const digits = (n: number) => Array.from({ length: n }, () => String(random.int(0, 9))).join('');

  type Case = { region: PhoneRegion; written: string; e164: string };
  const generators: (() => Case[])[] = [
    () => {
      const area = random.pick(['206', '425', '312', '646', '415', '512']);
      const line = '01' + digits(2);
      const ext = digits(3);
      const e164 = `+1${area}555${line}`;
      return [
        { region: 'US', written: `+1 (${area}) 555-${line}`, e164 },
        { region: 'US', written: `${area}-555-${line}`, e164 },
        { region: 'US', written: `(${area}) 555-${line} x${ext}`, e164: `${e164};ext=${ext}` },
        { region: 'US', written: `+1.${area}.555.${line}`, e164 },
        { region: 'CA', written: `(416) 555-${line}`, e164: `+1416555${line}` },
      ];
    },
    () => {
      const fixed = `20 7946 0${digits(3)}`;
      const mobile = `7700 900${digits(3)}`;
      const f = `+44${fixed.replace(/ /g, '')}`;
      const m = `+44${mobile.replace(/ /g, '')}`;
      return [
        { region: 'GB', written: `+44 ${fixed}`, e164: f },
        { region: 'GB', written: `0${fixed}`, e164: f },
        { region: 'GB', written: `+44 (0)${fixed}`, e164: f },
        { region: 'GB', written: `0044${fixed.replace(/ /g, '')}`, e164: f },
        { region: 'GB', written: `+44 ${mobile}`, e164: m },
        { region: 'GB', written: `0${mobile}`, e164: m },
        { region: 'GB', written: `+44 (0)${mobile}`, e164: m },
        { region: 'GB', written: `0044 ${mobile.replace(' ', '')}`, e164: m },
      ];
    },
    () => {
      const a = digits(6);
      const b = digits(2);
      const mob = digits(8);
      const f = `+4930${a}${b}`;
      const m = `+49151${mob}`;
      return [
        { region: 'DE', written: `+49 30 ${a}-${b}`, e164: f },
        { region: 'DE', written: `030 ${a}-${b}`, e164: f },
        { region: 'DE', written: `+49 (0)30 ${a}-${b}`, e164: f },
        { region: 'DE', written: `0049 30 ${a}-${b}`, e164: f },
        { region: 'DE', written: `+49 151 ${mob}`, e164: m },
        { region: 'DE', written: `0151 ${mob}`, e164: m },
        { region: 'DE', written: `0049-151-${mob}`, e164: m },
      ];
    },
    () => {
      const p = [digits(2), digits(2), digits(2), digits(2)];
      const a = random.pick(['1', '6']);
      const e164 = `+33${a}${p.join('')}`;
      return [
        { region: 'FR', written: `+33 ${a} ${p.join(' ')}`, e164 },
        { region: 'FR', written: `0${a} ${p.join(' ')}`, e164 },
        { region: 'FR', written: `0${a}.${p.join('.')}`, e164 },
        { region: 'FR', written: `+33 (0)${a}${p.join('')}`, e164 },
      ];
    },
    () => {
      const fixed = `2 ${digits(4)} ${digits(4)}`;
      const mobile = `4${digits(2)} ${digits(3)} ${digits(3)}`;
      const f = `+61${fixed.replace(/ /g, '')}`;
      const m = `+61${mobile.replace(/ /g, '')}`;
      return [
        { region: 'AU', written: `+61 ${fixed}`, e164: f },
        { region: 'AU', written: `(02) ${fixed.slice(2)}`, e164: f },
        { region: 'AU', written: `+61 (0)${fixed}`, e164: f },
        { region: 'AU', written: `0${fixed.replace(/ /g, '')}`, e164: f },
        { region: 'AU', written: `+61 ${mobile}`, e164: m },
        { region: 'AU', written: `0${mobile}`, e164: m },
        { region: 'AU', written: `(0${mobile.slice(0, 3)}) ${mobile.slice(4)}`, e164: m },
      ];
    },
  ];

  it('normalises 200 random numbers in every style to the E.164 built from their parts', () => {
    for (let round = 0; round < 40; round++) {
      for (const generate of generators) {
        for (const { region, written, e164 } of generate()) {
          expect({ written, result: normalizePhoneNumber(written, [region, 'US']) }).toEqual({
            written,
            result: { ok: true, value: e164 },
          });
        }
      }
    }
  });
});
