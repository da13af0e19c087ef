import type { AppConfig } from './app-config';
import { CONFIG_SCHEMA } from './config-schema';
import { ConfigError } from './config-error';

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedConfig {
  config: AppConfig;
  /** Things worth a warning at start-up (e.g. a generated key file). */
  warnings: string[];
}

/**
 * Builds the one configuration object from the environment (CONFIG_SCHEMA). Every problem is
 * collected (not just the first), each as one line naming the variable, so an operator fixes
 * them all in one go. Secrets are never echoed back.
 */
export function loadConfig(env: Env = process.env): LoadedConfig {
  const result = CONFIG_SCHEMA.safeParse(env);
  const problems = (result.error?.issues ?? []).map(
    (issue) => `${issue.path.join('.')}: ${issue.message}`,
  );
  if (!result.success || !result.data) throw new ConfigError(problems);
  return result.data;
}
