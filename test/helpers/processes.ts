import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root, where child processes run. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a TypeScript file in a child Node process and resolves with its exit code and output. */
export function runTs(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
