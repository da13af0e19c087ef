import { createRequire } from 'node:module';

// js-yaml (installed with the dev tooling: @apidevtools/swagger-parser, eslint) parses the
// deployment files in the deploy tests. Loaded through createRequire because it ships no types.
const jsYaml = createRequire(__filename)('js-yaml') as {
  load(text: string): unknown;
  loadAll(text: string): unknown[];
};

/** One YAML document (merge keys `<<` resolved, as Compose does). */
export const parseYaml = (text: string): unknown => jsYaml.load(text);

/** Every document of a multi-document stream (`---`), empty ones dropped. */
export const parseYamlStream = (text: string): unknown[] =>
  jsYaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
