import { existsSync } from 'node:fs';
import { OutputEngine } from './engine.js';
import { DeriveError } from './errors.js';
import { gateOutput, profileOutput, type GatePlan } from './gate.js';
import { TempDir, writeParquet } from './test-support/fixtures.js';

let dir: TempDir;
/** 120,000 distinct wide values: measuring k-anonymity over them needs well over 8 MiB. */
let wide: string;
const plan: GatePlan = { quasiIdentifiers: ['who'], countColumns: [], k: 2, rule: 'k_anonymity' };

beforeAll(async () => {
  dir = await TempDir.create();
  wide = await writeParquet(dir.path('wide.parquet'), `SELECT 'person-' || i || repeat('x', 100) AS who, i % 7 AS n FROM range(120000) t(i)`);
});

afterAll(() => dir.dispose());

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function failure(promise: Promise<unknown>): Promise<DeriveError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeriveError);
  return error as DeriveError;
}

describe('OutputEngine', () => {
  it('runs every use under its memory limit and threads', async () => {
    const engine = new OutputEngine({ memoryLimit: '64MiB', threads: 1 });
    try {
      const [settings] = await engine.use((queries) => queries.rows(`SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads`));
      expect(settings).toEqual({ memory: '64.0 MiB', threads: 1n });
    } finally {
      await engine.close();
    }
  });

  it('gives each use running at once an instance, and so a memory limit, of its own; more uses wait', async () => {
    const engine = new OutputEngine({ memoryLimit: '64MiB', threads: 1, instances: 2 });
    const spillOf = (queries: { rows(sql: string): Promise<Array<Record<string, unknown>>> }) =>
      queries.rows(`SELECT current_setting('temp_directory') AS spill`).then(([row]) => String(row!.spill));
    try {
      const release = gate();
      const events: string[] = [];
      let holding = 0;
      const held = (name: string) =>
        engine.use(async (queries) => {
          events.push(`${name} started`);
          const spill = await spillOf(queries);
          holding += 1;
          await release.opened;
          events.push(`${name} ended`);
          return spill;
        });
      const first = held('first');
      const second = held('second');
      const third = engine.use(async (queries) => {
        events.push('third started');
        return spillOf(queries);
      });
      // Both instances busy (however slow the machine), then time enough for a third to start if it could.
      await until(() => holding === 2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Two instances: the third use waits for one of them.
      expect([...events].sort()).toEqual(['first started', 'second started']);
      release.open();
      const [a, b, c] = await Promise.all([first, second, third]);
      expect(a).not.toBe(b);
      expect([a, b]).toContain(c);
      expect(events.indexOf('third started')).toBeGreaterThan(events.indexOf('first ended'));
    } finally {
      await engine.close();
    }
  });

  it('fails the gate whole with derive.out_of_memory when the output needs more than the limit, and serves the next use afresh', async () => {
    const engine = new OutputEngine({ memoryLimit: '8MiB', threads: 1 });
    const suppressedPath = dir.path('gated.parquet');
    try {
      const error = await failure(gateOutput(wide, plan, { engine, decide: () => 'suppress', suppressedPath }));
      expect(error.code).toBe('derive.out_of_memory');
      expect(error.message).toMatch(/^Checking the output needs more memory than its limit \(8MiB\)/);
      expect(existsSync(suppressedPath)).toBe(false);
      const [ok] = await engine.use((queries) => queries.rows(`SELECT current_setting('memory_limit') AS memory`));
      expect(ok).toEqual({ memory: '8.0 MiB' });
    } finally {
      await engine.close();
    }
  });

  it('stops a use at its time limit with derive.timeout', async () => {
    const engine = new OutputEngine({ memoryLimit: '64MiB', threads: 1, timeoutMs: 200 });
    try {
      const error = await failure(engine.use((queries) => queries.rows('SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3')));
      expect(error.code).toBe('derive.timeout');
      expect(await engine.use((queries) => queries.rows('SELECT 42 AS answer'))).toEqual([{ answer: 42 }]);
    } finally {
      await engine.close();
    }
  });

  it('closes idle instances, and one in use when its use ends', async () => {
    const engine = new OutputEngine({ memoryLimit: '64MiB', threads: 1 });
    const release = gate();
    const spills: string[] = [];
    const held = engine.use(async (queries) => {
      spills.push(String((await queries.rows(`SELECT current_setting('temp_directory') AS spill`))[0]!.spill));
      await release.opened;
      return (await queries.rows('SELECT 1 AS still'))[0];
    });
    await until(() => spills.length === 1);
    await engine.close();
    expect(existsSync(spills[0]!)).toBe(true);
    release.open();
    expect(await held).toEqual({ still: 1 });
    await until(() => !existsSync(spills[0]!));
    expect(existsSync(spills[0]!)).toBe(false);
    expect(await engine.use((queries) => queries.rows('SELECT 2 AS again'))).toEqual([{ again: 2 }]);
    await engine.close();
  });
});

describe('the gate without an engine', () => {
  it('opens DuckDB with the memory limit it is given, and reports going over it', async () => {
    const suppressedPath = dir.path('gated-alone.parquet');
    const error = await failure(gateOutput(wide, plan, { memoryLimit: '8MiB', threads: 1, decide: () => 'suppress', suppressedPath }));
    expect(error.code).toBe('derive.out_of_memory');
    expect(existsSync(suppressedPath)).toBe(false);
    const profiled = await profileOutput(wide, { memoryLimit: '256MiB', threads: 1 });
    expect(profiled.rowCount).toBe(120_000);
  });
});

/** Waits until `condition` holds, polling; fails after `timeoutMs` (slow machines get time, a hang does not pass). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
