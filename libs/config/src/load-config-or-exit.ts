import type { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

/**
 * Start-up entry: a bad configuration stops the process with exit code 1 and one line
 * per problem on stderr, before anything else happens.
 */
export function loadConfigOrExit(
  serviceProblems: (config: AppConfig) => string[] = () => [],
): AppConfig {
  try {
    const { config, warnings } = loadConfig(process.env);
    const problems = serviceProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
    for (const warning of warnings) process.stderr.write(`config warning: ${warning}\n`);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}
