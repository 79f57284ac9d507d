import { findFreePort } from '@civic/local-services';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './platform.js';

export interface RunningWeb {
  url: string;
  close(): Promise<void>;
}

/** Serves the built web app with `vite preview`, proxying /api, /health and /admin to the API. */
export async function startWeb(apiUrl: string): Promise<RunningWeb> {
  const port = await findFreePort(0);
  const webDir = path.join(repoRoot, 'apps/web');
  const child: ChildProcess = spawn(path.join(webDir, 'node_modules/.bin/vite'), ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: webDir,
    env: { ...process.env, API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    if ((await fetch(url).catch(() => null))?.ok) break;
    if (Date.now() > deadline) throw new Error(`vite preview not ready: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
