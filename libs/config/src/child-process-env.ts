// The environment this process started with. Taken when this module loads, before anything runs
// that may change process.env: vite's build (npm start builds the dashboard in the launcher)
// sets NODE_ENV=production, and a child started with that refuses the embedded defaults.
const STARTED_WITH: NodeJS.ProcessEnv = { ...process.env };

/**
 * The environment for a child process of ours: the environment this process started with, with
 * overrides (the launcher hands the demo simulator's settings to the API and worker this way).
 */
export function childProcessEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...STARTED_WITH, ...overrides };
}
