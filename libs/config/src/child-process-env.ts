/**
 * The environment for a child process of ours: this process's environment with overrides (the
 * launcher hands the demo simulator's settings to the API and worker this way).
 */
export function childProcessEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
