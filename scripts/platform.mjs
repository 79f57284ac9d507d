#!/usr/bin/env node
/**
 * The two Quick start commands, with nothing but Node and npm on the machine:
 *
 *   npm start   install, build, start PostgreSQL (embedded unless DATABASE_URL) and Redis,
 *               migrate, seed demo data, run API + worker + web, print URLs and logins.
 *   npm test    install, build, lint, typecheck and run every test on real services.
 *   npm run bench [name]   run the benchmarks.
 *   npm run leak:trace -- <file> <product>   trace a leaked file against the platform npm start ran.
 *
 * `npm start` records the database it runs against in .data/platform-state.json (or the file
 * CIVIC_PLATFORM_STATE names), so that leak:trace finds the same database without DATABASE_URL.
 *
 * pnpm is installed into .data/tools (never globally) at the version pinned in package.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const command = process.argv[2] ?? 'start';
const started = Date.now();

const say = (message) => console.log(`\x1b[36m[civic]\x1b[0m ${message}`);
const fail = (message) => {
  console.error(`\x1b[31m[civic] ${message}\x1b[0m`);
  process.exit(1);
};
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const errorText = (error) => (error instanceof Error ? error.message : String(error));

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer.`);
}

/** pnpm at the pinned version, installed under .data/tools. Returns the environment to run it with. */
function ensurePnpm() {
  const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
  const toolsDir = path.join(dataDir, 'tools');
  const binDir = path.join(toolsDir, 'node_modules', '.bin');
  const installedManifest = path.join(toolsDir, 'node_modules', 'pnpm', 'package.json');
  const installed = existsSync(installedManifest) ? JSON.parse(readFileSync(installedManifest, 'utf8')).version : null;
  if (installed !== pinned) {
    say(`installing pnpm ${pinned} into .data/tools`);
    mkdirSync(toolsDir, { recursive: true });
    run('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pinned}`]);
  }
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    DO_NOT_TRACK: '1',
  };
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`"${cmd} ${args.join(' ')}" failed (exit ${result.status ?? result.signal})`);
}

function installAndBuild(env, tasks = ['build']) {
  say('installing dependencies (pnpm install --frozen-lockfile)');
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only'], { env });
  say(`running ${tasks.join(' + ')} (turbo)`);
  run('pnpm', ['exec', 'turbo', 'run', ...tasks, '--output-logs=errors-only'], { env });
}

async function importDist(pkg, file = 'index.js') {
  return import(pathToFileURL(path.join(root, pkg, 'dist', file)).href);
}

/** `postgresNote`: said after a PostgreSQL failure, e.g. where a DATABASE_URL the user did not set came from. */
async function resolveServices(pgDir, redisDir, { postgresNote = '', createMissingDatabase = true } = {}) {
  const local = await importDist('libs/local-services');
  const log = (message) => say(message);
  let postgres;
  try {
    postgres = await local.resolvePostgres({ dataDir: path.join(dataDir, pgDir), log, createMissingDatabase });
  } catch (error) {
    // Its messages say what is wrong and what to do; a stack trace would only bury that.
    fail(`${errorText(error)}${postgresNote}`);
  }
  let redis;
  try {
    redis = await local.resolveRedis({ dataDir: path.join(dataDir, redisDir), log });
  } catch (error) {
    await postgres.stop();
    fail(errorText(error));
  }
  return { local, postgres, redis };
}

/** Where `npm start` records what it runs against (for leak:trace). Holds the database URL: owner-only. */
const stateFile = () => path.resolve(process.env.CIVIC_PLATFORM_STATE ?? path.join(dataDir, 'platform-state.json'));

function writeState(state) {
  const file = stateFile();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...state, pid: process.pid, startedAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
}

/** What the last `npm start` ran against, or null when it never ran (or the file is unreadable). */
function readState() {
  try {
    const state = JSON.parse(readFileSync(stateFile(), 'utf8'));
    return state && typeof state.databaseUrl === 'string' ? state : null;
  } catch {
    return null;
  }
}

/** A stable development signing secret, kept in .data so sessions survive restarts. */
function devSecret() {
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function waitFor(url, child, label, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`${label} exited during start-up (exit ${child.exitCode}); see its output above.`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  fail(`${label} did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

function prefixed(child, label, color) {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) if (line.trim()) console.log(`\x1b[${color}m${label.padEnd(6)}\x1b[0m ${line}`);
    });
  }
}

/** `start` runs the built platform; `dev` also rebuilds on change and restarts API and worker. */
async function start({ watch = false } = {}) {
  const env = ensurePnpm();
  installAndBuild(env);
  const { local, postgres, redis } = await resolveServices('pg', 'redis');
  const databaseUrl = process.env.DATABASE_URL || (await local.ensureDatabase(postgres.url, 'civic'));
  const storageDir = path.resolve(process.env.STORAGE_DIR || path.join(dataDir, 'storage'));
  // For leak:trace (and anyone asking "which database is this?"): kept after stopping, the data stays.
  writeState({ databaseUrl, embedded: postgres.embedded, storageDir });

  const db = await importDist('libs/db');
  const dataSource = db.createDataSource({ url: databaseUrl, poolSize: 2 });
  await dataSource.initialize();
  const applied = await db.runMigrations(dataSource);
  say(`migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);
  const seeded = await db.seedDemo(dataSource);
  say(`demo data: ${seeded.organizationsCreated} organizations and ${seeded.usersCreated} users created (existing ones kept)`);
  const catalog = await db.seedDemoCatalog(dataSource, { storage: { kind: 'local', root: storageDir }, log: (message) => say(message) });
  say(`demo catalog: ${catalog.datasetsCreated} datasets and ${catalog.versionsCreated} versions created (existing ones kept)`);
  const products = await db.seedDemoProducts(dataSource, { storage: { kind: 'local', root: storageDir }, log: (message) => say(message) });
  say(`demo products: ${products.productsCreated} products derived (existing ones kept)`);
  const commerce = await db.seedDemoCommerce(dataSource);
  say(`demo offers: ${commerce.offersCreated} offers published (existing ones kept)`);
  const billing = await db.seedDemoBilling(dataSource);
  say(`demo billing: ${billing.licences} licences, ${billing.invoices} invoices and ${billing.payments} payments of past weeks (existing ones kept)`);
  const datasetUse = await db.seedDemoDatasetUse(dataSource);
  say(`demo dataset use: ${datasetUse.deliveries} previews and downloads of open data over past weeks (none added once there are some)`);
  await dataSource.destroy();

  const apiPort = await local.findFreePort(Number(process.env.PORT ?? 3000));
  const webPort = await local.findFreePort(Number(process.env.WEB_PORT ?? 5173));
  const webUrl = `http://localhost:${webPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const serviceEnv = {
    ...env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    JWT_SECRET: process.env.JWT_SECRET ?? devSecret(),
    PORT: String(apiPort),
    PUBLIC_WEB_URL: webUrl,
    CORS_ORIGINS: `${webUrl},http://127.0.0.1:${webPort}`,
    DEMO_MODE: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    LOG_PRETTY: process.env.LOG_PRETTY ?? 'true',
    API_URL: apiUrl,
    PUBLIC_API_URL: apiUrl,
    STORAGE_DIR: storageDir,
    // One set of queues per database: a second platform (another clone, its own embedded
    // PostgreSQL) on the same Redis must not take this one's jobs, nor share its rate limits.
    QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? `civic-${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 8)}`,
  };
  // PAYMENTS=stripe-fake: purchases go through Stripe Checkout, served by the local test double.
  const stripeFake = process.env.PAYMENTS === 'stripe-fake' ? await local.findFreePort(12111) : null;
  if (stripeFake) {
    Object.assign(serviceEnv, {
      STRIPE_SECRET_KEY: 'sk_test_local_demo',
      STRIPE_API_URL: `http://127.0.0.1:${stripeFake}`,
      STRIPE_WEBHOOK_SECRET: 'whsec_local_demo_endpoint',
      STRIPE_FAKE_PORT: String(stripeFake),
      STRIPE_WEBHOOK_URL: `${apiUrl}/api/v1/payments/stripe/webhook`,
    });
  }
  const children = [];
  const launch = (label, color, cmd, args, cwd) => {
    const child = spawn(cmd, args, { cwd: path.join(root, cwd), env: serviceEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    prefixed(child, label, color);
    children.push(child);
    return child;
  };
  const nodeArgs = watch ? ['--watch', 'dist/main.js'] : ['dist/main.js'];
  if (watch) launch('tsc', '33', 'pnpm', ['exec', 'turbo', 'run', 'dev', '--filter=!@civic/web', '--output-logs=new-only'], '.');
  if (stripeFake) {
    const fake = launch('stripe', '36', process.execPath, ['dist/main.js'], 'libs/stripe-fake');
    await waitFor(`http://127.0.0.1:${stripeFake}/_fake`, fake, 'Stripe test double');
  }
  const api = launch('api', '32', process.execPath, nodeArgs, 'apps/api');
  const worker = launch('worker', '35', process.execPath, nodeArgs, 'apps/worker');
  await waitFor(`${apiUrl}/health/ready`, api, 'API');
  const webArgs = watch ? ['exec', 'vite', '--port', String(webPort), '--strictPort', '--host', '127.0.0.1'] : ['exec', 'vite', 'preview', '--port', String(webPort), '--strictPort', '--host', '127.0.0.1'];
  const web = launch('web', '34', 'pnpm', webArgs, 'apps/web');
  await waitFor(`http://127.0.0.1:${webPort}/`, web, 'web');

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
    await redis.stop();
    await postgres.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const child of [api, worker, web]) child.on('exit', (code) => !stopping && (say(`a process exited (code ${code}); stopping the platform`), void stop(1)));

  const logins = db.DEMO_ORGANIZATIONS.flatMap((organization) => organization.users.map((user) => `    ${user.role.padEnd(16)} ${user.email}`));
  console.log(`
\x1b[1mCivic Data Marketplace is running\x1b[0m (ready in ${elapsed()})

  Web app        ${webUrl}
  API            ${apiUrl}/api/v1
  API docs       ${apiUrl}/api/docs   (OpenAPI JSON: ${apiUrl}/api/openapi.json)
  Queues         ${webUrl}/admin/queues   (platform admin, after signing in)
  Health         ${apiUrl}/health/ready
  PostgreSQL     ${postgres.embedded ? 'embedded, data in .data/pg' : 'DATABASE_URL'}
  Redis          ${redis.url}${redis.spawned ? ' (redis-server started for this session)' : ''}
  Payments       ${stripeFake ? `Stripe Checkout (local test double on port ${stripeFake})` : 'offline invoices (PAYMENTS=stripe-fake for Stripe Checkout)'}

  Demo logins (password for all: ${db.DEMO_PASSWORD}):
${logins.join('\n')}

  Ctrl+C stops everything.
`);
  void worker;
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/**
 * The browser tests drive a real Chromium. Use CHROMIUM_PATH or a system one; on Debian as
 * root, install Debian's chromium (and CJK fonts for the zh-CN screens). Never a downloaded
 * browser build: that needs network access beyond the package registries.
 */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say('installing Debian chromium and CJK fonts for the browser tests (apt-get)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], { env });
    return '/usr/bin/chromium';
  }
  fail('The browser tests need Chromium: install chromium (or Google Chrome) or set CHROMIUM_PATH.');
}

async function test() {
  const chromium = ensureChromium();
  const env = { ...ensurePnpm(), CHROMIUM_PATH: chromium };
  installAndBuild(env, ['build']);
  const { postgres, redis } = await resolveServices('pg-test', 'redis-test');
  const testEnv = {
    ...env,
    CI: process.env.CI ?? 'true',
    TEST_POSTGRES_URL: postgres.url,
    REDIS_URL: redis.url,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  };
  delete testEnv.DATABASE_URL;
  say(`PostgreSQL for tests: ${postgres.embedded ? 'embedded (.data/pg-test)' : 'DATABASE_URL server'}; each package gets its own database`);
  const resultsDir = path.join(dataDir, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  for (const file of readdirSync(resultsDir)) if (file.endsWith('.json')) writeFileSync(path.join(resultsDir, file), '');
  const result = spawnSync('pnpm', ['exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--concurrency=2', '--output-logs=new-only'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...testEnv, JEST_RESULTS_DIR: resultsDir },
  });
  await redis.stop();
  await postgres.stop();
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of readdirSync(resultsDir)) {
    const text = readFileSync(path.join(resultsDir, file), 'utf8');
    if (!text) continue;
    const report = JSON.parse(text);
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests;
  }
  say(`whole suite finished in ${elapsed()}`);
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(result.status === 0 && totals.failed === 0 ? 0 : 1);
}

async function bench() {
  const env = ensurePnpm();
  installAndBuild(env);
  const { postgres, redis } = await resolveServices('pg-test', 'redis-test');
  const result = spawnSync('pnpm', ['--filter', '@civic/tests', 'run', 'bench', ...process.argv.slice(3)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, TEST_POSTGRES_URL: postgres.url, REDIS_URL: redis.url, LOG_LEVEL: 'silent' },
  });
  await redis.stop();
  await postgres.stop();
  process.exit(result.status ?? 1);
}

/**
 * `npm run leak:trace -- <file> <product>`: the API's leak-tracing command against the platform
 * `npm start` runs here: DATABASE_URL when set, else the database `npm start` last ran against
 * (recorded in .data/platform-state.json: its DATABASE_URL, or its embedded PostgreSQL, started
 * or reused); its object storage (STORAGE_DIR, else the one `npm start` used, else .data/storage).
 */
async function leakTrace() {
  const cli = path.join(root, 'apps/api/dist/cli/trace-leak.js');
  if (!existsSync(cli)) fail('The platform is not built yet: run `npm start` once first.');
  const recorded = process.env.DATABASE_URL ? null : readState();
  if (recorded && !recorded.embedded) {
    say(`using the database npm start runs against: ${(await importDist('libs/local-services')).redactUrl(recorded.databaseUrl)}`);
    process.env.DATABASE_URL = recorded.databaseUrl;
  }
  // Never a new cluster just to find it empty: with nothing recorded and no cluster yet, there is no platform data.
  if (!process.env.DATABASE_URL && (!recorded || recorded.embedded) && !existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))) {
    fail('no platform data in .data/pg (no embedded PostgreSQL yet): start the platform with npm start first, or set DATABASE_URL');
  }
  const postgresNote = recorded && !recorded.embedded ? ` (DATABASE_URL as npm start recorded it in ${stateFile().startsWith(`${root}${path.sep}`) ? path.relative(root, stateFile()) : stateFile()}; set DATABASE_URL to use another database)` : '';
  // Tracing only reads: a database that does not exist is reported, not created.
  const { local, postgres, redis } = await resolveServices('pg', 'redis', { postgresNote, createMissingDatabase: false });
  const databaseUrl = process.env.DATABASE_URL || (await local.ensureDatabase(postgres.url, 'civic'));
  const storageDir = path.resolve(process.env.STORAGE_DIR || recorded?.storageDir || path.join(dataDir, 'storage'));
  // Paths on the command line are read from where npm was run.
  const result = spawnSync(process.execPath, [cli, ...process.argv.slice(3)], {
    cwd: process.env.INIT_CWD ?? process.cwd(),
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, STORAGE_DIR: storageDir, LOG_LEVEL: 'warn' },
  });
  await redis.stop();
  await postgres.stop();
  process.exit(result.status ?? 1);
}

checkNode();
const commands = { start, dev: () => start({ watch: true }), test, bench, 'leak-trace': leakTrace };
if (!commands[command]) fail(`unknown command "${command}" (start | dev | test | bench | leak-trace)`);
commands[command]().catch((error) => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
