import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  /** Every line the process wrote so far, stdout and stderr. */
  output(): string;
  /** Parsed JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the port once the service logs that it listens. */
  listening(timeoutMs?: number): Promise<number>;
  exited(timeoutMs?: number): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts an app entry point (TypeScript, through the SWC register) as a real child process. */
export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  return startNode(entry, [join(ROOT, 'scripts/run-ts.js'), join(ROOT, entry)], env);
}

/** Starts compiled JavaScript (a `dist/` entry point) with plain node: no require hook. */
export function startCompiledService(file: string, env: Record<string, string>): ServiceProcess {
  return startNode(file, [file], env);
}

function startNode(entry: string, args: string[], env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitFor = <T>(probe: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        const value = probe();
        if (value !== undefined) {
          clearInterval(timer);
          resolve(value);
        } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`${entry}: ${what} (exit ${child.exitCode}); output:\n${text}`));
        }
      }, 50);
    });

  return {
    child,
    output: () => text,
    logs: () =>
      text
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    listening: (timeoutMs = 30_000) =>
      waitFor(
        () => {
          const match = /listening on http:\/\/[^:]+:(\d+)/.exec(text);
          return match ? Number(match[1]) : undefined;
        },
        timeoutMs,
        'did not start listening',
      ),
    exited: (timeoutMs = 30_000) => {
      let timer: NodeJS.Timeout;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${entry} did not exit`)), timeoutMs);
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
  };
}
