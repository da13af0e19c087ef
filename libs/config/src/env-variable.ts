import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod/v4';
import { parseBoolean } from './parse-boolean';
import { redactUrl } from './redact-url';

/** An environment variable's text: trimmed, and unset when empty. */
const text = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

/**
 * A variable parsed by `parse` (undefined = invalid). An invalid value is one problem,
 * `<expected>; got "<value>"` (passwords of URLs hidden), and gives the fallback, so the
 * other variables are still checked and every problem is reported at once.
 */
function parsed<T, F extends T | undefined>(
  fallback: F,
  parse: (raw: string) => T | undefined,
  expected: string,
) {
  return text.transform((raw, ctx): T | F => {
    if (raw === undefined) return fallback;
    const value = parse(raw);
    if (value !== undefined) return value;
    ctx.addIssue({ code: 'custom', message: `${expected}; got "${redactUrl(raw)}"` });
    return fallback;
  });
}

function isUrlWithHost(raw: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(raw);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Schemas of one environment variable each; the object schema names the variable. */
export const envVariable = {
  text,

  /** Text with a default. */
  textOr: (fallback: string) => text.transform((raw) => raw ?? fallback),

  port: (fallback: number) =>
    parsed(
      fallback,
      (raw) => (/^\d+$/.test(raw) && Number(raw) <= 65535 ? Number(raw) : undefined),
      'expected a TCP port number 0-65535',
    ),

  wholeNumber: (fallback: number, min: number, max: number) =>
    parsed(
      fallback,
      (raw) => {
        const n = Number(raw);
        return /^-?\d+$/.test(raw) && n >= min && n <= max ? n : undefined;
      },
      `expected a whole number from ${min} to ${max}`,
    ),

  /** true/false (also 1/0, yes/no); unset gives the fallback (undefined: decided later). */
  boolean: <F extends boolean | undefined>(fallback: F) =>
    parsed(fallback, parseBoolean, 'expected true or false'),

  oneOf: <const T extends string>(allowed: readonly T[], fallback: T, expected: string) =>
    parsed(
      fallback,
      (raw) => ((allowed as readonly string[]).includes(raw) ? (raw as T) : undefined),
      expected,
    ),

  matching: (pattern: RegExp, fallback: string, expected: string) =>
    parsed(fallback, (raw) => (pattern.test(raw) ? raw : undefined), expected),

  /** A URL of one of `protocols` with a host name (e.g. `['redis:', 'rediss:']`). */
  url: <F extends string | undefined>(
    protocols: readonly string[],
    fallback: F,
    expected: string,
  ) => parsed(fallback, (raw) => (isUrlWithHost(raw, protocols) ? raw : undefined), expected),

  /** An existing file, as an absolute path. */
  existingFile: () =>
    text.transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const path = resolve(raw);
      if (!existsSync(path))
        ctx.addIssue({ code: 'custom', message: `file ${path} does not exist` });
      return path;
    }),
};
