/**
 * Reads until the check holds (what a worker or a webhook does in its own time), every 200 ms
 * for at most `timeoutMs`; then fails naming what never happened, the last value read and any
 * `context` (e.g. the platform's output).
 */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, label: string, options: { timeoutMs?: number; context?: () => string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${label} never happened: ${JSON.stringify(last)}${options.context ? `\n${options.context()}` : ''}`);
}
