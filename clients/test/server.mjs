// The real server jar in a child process on 127.0.0.1 and a free port, with an admin key of its own;
// shared by with-server.mjs (the tests) and ../web/scripts/dashboard-load.mjs (a measure).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

/**
 * Starts `server/target/storefront-crm.jar` (CRM_JAR overrides it) on `database` with the plugins of
 * `plugins-dist` (CRM_PLUGINS_DIR), the model of `schema/`, its output in `logFile`, and waits until it is ready.
 * Answers { url, apiKey, stop }.
 */
export async function startServer({ database, logFile, jvmArgs = [], args = [] }) {
  const jar = process.env.CRM_JAR ?? join(root, 'server/target/storefront-crm.jar');
  const pluginsDir = process.env.CRM_PLUGINS_DIR ?? join(root, 'plugins-dist');
  const apiKey = 'crm_' + randomBytes(24).toString('hex');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn('java', [...jvmArgs, '-jar', jar, `--server.port=${port}`, '--server.address=127.0.0.1',
    `--crm.database=${database}`, `--crm.schema-dir=${join(root, 'schema')}`, `--crm.plugins-dir=${pluginsDir}`,
    `--crm.security.admin-key=${apiKey}`, ...args], { stdio: ['ignore', openSync(logFile, 'w'), 'inherit'] });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((done) => server.on('exit', done));
    }
  };
  process.on('exit', () => server.exitCode === null && server.kill('SIGTERM'));
  try {
    await waitUntilReady(server, url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, apiKey, stop };
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    }).on('error', fail);
  });
}

/** Readiness means the database answers and the plugins are loaded; a demo store is filled before it. */
async function waitUntilReady(server, url) {
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
