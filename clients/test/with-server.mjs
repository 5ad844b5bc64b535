// Starts the real server jar once, with the demo store in a temp database, and runs the given
// node:test files against it (CRM_URL and CRM_API_KEY in their environment); then stops it.
// Usage: node test/with-server.mjs <test file or folder>...   (CRM_JAR, CRM_PLUGINS_DIR override the paths)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server.mjs';

const work = mkdtempSync(join(tmpdir(), 'crm-clients-'));
const logFile = process.env.CRM_SERVER_LOG ?? join(work, 'server.log');

let code = 1;
let server;
try {
  server = await startServer({ database: join(work, 'crm.duckdb'), logFile, jvmArgs: ['-Xmx1g'], args: ['--crm.demo=true',
    '--crm.duckdb.memory-limit=512MB',
    // The CLV plugin's nightly jobs would write predictions while tests compare the API with the page: February 30 never comes.
    '--crm.plugins.clv.jobs.fit-model.cron=0 0 0 30 2 *', '--crm.plugins.clv.jobs.score-customers.cron=0 0 0 30 2 *'] });
  const tests = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, CRM_URL: server.url, CRM_API_KEY: server.apiKey } });
  code = await new Promise((done) => tests.on('exit', (c) => done(c ?? 1)));
} catch (error) {
  console.error(String(error) + '\nServer log: ' + logFile);
} finally {
  await server?.stop();
  if (code === 0 && !process.env.CRM_SERVER_LOG) {
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(code);
