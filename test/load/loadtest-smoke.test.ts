import { describe, expect, it } from 'vitest';
import { runTs } from '../helpers/processes.ts';

describe('npm run loadtest -- --smoke', () => {
  it('drives the real server with every kind of load and finishes without errors (figures only, no timing asserted)', async () => {
    const { code, stdout, stderr } = await runTs('test/load/run-loadtest.ts', ['--smoke', '--no-build']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const label of [
      'bare node:http',
      'Q&A turns, 16 connections',
      'registration turns',
      'signed Zalo deliveries at 500/s',
      'SQLite',
      'RSS:',
    ])
      expect(stdout).toContain(label);
    for (const line of stdout.split('\n').filter((l) => l.includes('errors'))) expect(line).toMatch(/errors 0/);
    // Memory is read from /metrics, which these servers (with Zalo's credentials) guard with a token.
    expect(stdout).toMatch(/RSS [1-9]\d* MB/);
    expect(stdout).not.toMatch(/RSS 0 MB/);
  }, 120_000);
});
