import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root, where child processes run. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a TypeScript file in a child Node process and resolves with its exit code and output. */
export function runTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A server process started with `npm start`'s entry point, and the port it listens on. */
export interface ServerProcess {
  url: string;
  child: import('node:child_process').ChildProcess;
  output: () => string;
  /** Waits until the output holds `text` at least `times` times (log lines are written in batches, a moment after they are logged). */
  waitForOutput(text: string, times?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a server script in a child process on an ephemeral port and waits until it says its port. */
export function runTsServer(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess(env, script);
}

/** What `npm start` runs after its build (node, its options and the server bundle). */
const START_ARGS = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word !== 'exec')
  .slice(1);

/**
 * Starts the server as `npm start` runs it (the bundle the test setup built), or a TypeScript
 * `script`, in a child process on an ephemeral port, and waits until it listens.
 */
export function startServerProcess(
  env: Record<string, string>,
  script?: string,
  user?: { uid: number; gid: number },
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, script ? ['--import', 'tsx', script] : START_ARGS, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      ...user,
    });
    let out = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      // Keep the start and the latest output only: a long run logs every turn.
      out = out.length > 256_000 ? out.slice(0, 64_000) + out.slice(-128_000) + String(d) : out + String(d);
      if (started) return;
      const match = /"port":(\d+)/.exec(out);
      if (match) {
        started = true;
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          child,
          output: () => out,
          waitForOutput: async (text, times = 1) => {
            for (let i = 0; i < 200; i++) {
              if (out.split(text).length - 1 >= times) return;
              await new Promise((r) => setTimeout(r, 25));
            }
            throw new Error(`the server never wrote "${text}" ${times} times:\n${out.slice(-2000)}`);
          },
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/"port":\d+/.test(out)) reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}
