/** Runs a service entry point; a start-up failure is one clear line on stderr and exit code 1. */
export function runService(name: string, start: () => Promise<unknown>): void {
  start().catch((error: Error & { code?: string }) => {
    process.stderr.write(
      `${name} failed to start${error.code ? ` (${error.code})` : ''}: ${error.message}\n`,
    );
    process.exit(1);
  });
}
