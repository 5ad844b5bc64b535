// Starts the real server jar once, with the demo store in a temp database, and runs the given
// node:test files against it (CRM_URL and CRM_API_KEY in their environment); then stops it.
// Usage: node test/with-server.mjs <test file or folder>...   (CRM_JAR, CRM_PLUGINS_DIR override the paths)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const jar = process.env.CRM_JAR ?? join(root, 'server/target/storefront-crm.jar');
const pluginsDir = process.env.CRM_PLUGINS_DIR ?? join(root, 'plugins-dist');
const work = mkdtempSync(join(tmpdir(), 'crm-clients-'));
const apiKey = 'crm_' + randomBytes(24).toString('hex');
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const logFile = process.env.CRM_SERVER_LOG ?? join(work, 'server.log');

const server = spawn('java', ['-Xmx1g', '-jar', jar, '--crm.demo=true', `--server.port=${port}`, '--server.address=127.0.0.1',
  `--crm.database=${join(work, 'crm.duckdb')}`, `--crm.schema-dir=${join(root, 'schema')}`, `--crm.plugins-dir=${pluginsDir}`,
  `--crm.security.admin-key=${apiKey}`, '--crm.duckdb.memory-limit=512MB',
  // The CLV plugin's nightly jobs would write predictions while tests compare the API with the page: February 30 never comes.
  '--crm.plugins.clv.jobs.fit-model.cron=0 0 0 30 2 *', '--crm.plugins.clv.jobs.score-customers.cron=0 0 0 30 2 *'],
{ stdio: ['ignore', openSync(logFile, 'w'), 'inherit'] });
const stop = () => server.exitCode === null && server.kill('SIGTERM');
process.on('exit', stop);

let code = 1;
try {
  await waitUntilReady();
  const tests = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, CRM_URL: url, CRM_API_KEY: apiKey } });
  code = await new Promise((done) => tests.on('exit', (c) => done(c ?? 1)));
} catch (error) {
  console.error(String(error) + '\nServer log: ' + logFile);
} finally {
  stop();
  await new Promise((done) => server.exitCode !== null ? done() : server.on('exit', done));
  if (code === 0 && !process.env.CRM_SERVER_LOG) {
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(code);

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    }).on('error', fail);
  });
}

/** Readiness means the database answers and the plugins are loaded; the demo store is filled before it. */
async function waitUntilReady() {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error('The server exited with ' + server.exitCode);
    }
    try {
      const response = await fetch(url + '/actuator/health/readiness');
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The server was not ready within 5 minutes');
}
