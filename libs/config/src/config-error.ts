import { CodedError } from '@app/domain';

/** One line per problem, each naming the variable and what is expected. */
export class ConfigError extends CodedError {
  constructor(readonly problems: readonly string[]) {
    super('config_invalid', `Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
