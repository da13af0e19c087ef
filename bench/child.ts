import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
const KEEP = 64 * 1024;

/** A TypeScript entry point run as a real child process (through the SWC register). */
export class ChildService {
  readonly child: ChildProcess;
  private text = '';
  private readonly exit: Promise<number | null>;
  private readonly lineListeners: Array<(line: string) => void> = [];
  private partial = '';
  /** Lines seen so far that contain each of `countPatterns`. */
  readonly counts = new Map<string, number>();
  countPatterns: string[] = [];

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
    args: string[] = [],
  ) {
    this.child = spawn(
      process.execPath,
      [...nodeArgs, join(ROOT, 'scripts/run-ts.js'), join(ROOT, entry), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const onData = (chunk: Buffer) => {
      const s = chunk.toString();
      this.text = (this.text + s).slice(-KEEP);
      this.partial += s;
      const lines = this.partial.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        for (const p of this.countPatterns)
          if (line.includes(p)) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
        for (const l of this.lineListeners) l(line);
      }
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last 64 KiB the process wrote (stdout and stderr). */
  output(): string {
    return this.text;
  }

  /** Resolves with the first line for which `probe` returns a value. */
  waitForLine<T>(probe: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms; output:\n${this.text}`));
      }, timeoutMs);
      const onExit = () => {
        done();
        reject(new Error(`${this.name} exited (${this.child.exitCode}); output:\n${this.text}`));
      };
      const listener = (line: string) => {
        const value = probe(line);
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const done = () => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        const i = this.lineListeners.indexOf(listener);
        if (i >= 0) this.lineListeners.splice(i, 1);
      };
      this.lineListeners.push(listener);
      this.child.once('exit', onExit);
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (!this.running) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) this.child.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }
}
