import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';

export type Log = (msg: string) => void;

export const noop: Log = () => undefined;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isVerbose(explicit: boolean | undefined): boolean {
  return explicit ?? process.env.LOCAL_SERVICES_VERBOSE === '1';
}

/** Error messages and logs must never leak the password of a URL the user configured. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable URL>';
  }
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A crashed server whose parent died is re-parented to PID 1, and in containers PID 1 often never
 * reaps it: kill(pid, 0) then still succeeds for a process that is long dead.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

/**
 * argv of a live process, or null where /proc is not available (macOS), in which case
 * callers fall back to trusting liveness alone.
 */
export function processArgv(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

export function seconds(startedAt: number): string {
  return `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** Keeps the tail of a child's output so a failure can show it without logging it all the time. */
export class OutputTail {
  private lines: string[] = [];

  constructor(private readonly max = 200) {}

  push(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.lines.push(line);
    }
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  text(last = 40): string {
    return this.lines.slice(-last).join('\n');
  }

  includes(needle: string): boolean {
    return this.lines.some((l) => l.includes(needle));
  }
}

type Killer = () => void;
const killers = new Set<Killer>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed: { exit: () => void; signals: Map<NodeJS.Signals, () => void> } | undefined;

/**
 * Makes sure a child server does not outlive its parent, without taking over the parent's
 * shutdown: on a signal the parent has no handler for, children are told to stop and the signal is
 * re-raised so the process still dies by it; when the application has its own handler it owns the
 * shutdown (and may still need the database), so nothing happens until the process exits.
 * Returns the function that unregisters `kill` (call it from stop()).
 */
export function killOnParentExit(kill: Killer): () => void {
  killers.add(kill);
  if (!installed) {
    const exit = (): void => {
      for (const k of killers) k();
    };
    const signals = new Map<NodeJS.Signals, () => void>();
    for (const signal of SIGNALS) {
      const handler = (): void => {
        if (process.listenerCount(signal) > 1) return;
        exit();
        uninstall();
        process.kill(process.pid, signal);
      };
      signals.set(signal, handler);
      process.on(signal, handler);
    }
    process.on('exit', exit);
    installed = { exit, signals };
  }
  return () => {
    killers.delete(kill);
    if (killers.size === 0) uninstall();
  };
}

function uninstall(): void {
  if (!installed) return;
  process.removeListener('exit', installed.exit);
  for (const [signal, handler] of installed.signals) process.removeListener(signal, handler);
  installed = undefined;
}

/**
 * Serialises the detect / initialise / start sequence between processes (api and worker started
 * together, parallel test workers): the second caller waits and then finds the server the first one
 * started, instead of racing initdb or binding a second server to the same data directory.
 */
export async function withFileLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const token = `${process.pid}:${randomBytes(4).toString('hex')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(lockPath, token, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readFile(lockPath, 'utf8').catch(() => '');
    const holderPid = Number.parseInt(holder.split(':')[0] ?? '', 10);
    const age = Date.now() - ((await stat(lockPath).catch(() => null))?.mtimeMs ?? Date.now());
    // A holder that crashed, or a lock far older than any start, must not block forever.
    if (holder && (!isPidAlive(holderPid) || age > 120_000)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${lockPath} (held by pid ${holderPid}); delete it if that process is gone.`);
    }
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    if ((await readFile(lockPath, 'utf8').catch(() => '')) === token) await unlink(lockPath).catch(() => undefined);
  }
}
