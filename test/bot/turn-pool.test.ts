import { describe, expect, it } from 'vitest';
import { SharedLocks } from '../../adapters/storage/shared-locks.ts';
import type { KnowledgeContent } from '../../knowledge/index.ts';
import { createLogger } from '../../bot/logger.ts';
import { TurnPool } from '../../bot/turn-pool.ts';

const content = (extra: Record<string, number> = {}) => ({ entries: [], outOfScope: [], ...extra }) as unknown as KnowledgeContent;

describe('reloading the knowledge base on the turn workers', () => {
  it('resolves once every worker has answered, naming those that kept the previous content or are not running, and closes with a worker that could not restart', async () => {
    const pool = new TurnPool({ size: 2, logger: createLogger('silent'), locks: SharedLocks.createBuffer(), content: content(), workerUrl: new URL('../fixtures/workers/reload-worker.mjs', import.meta.url) });
    await pool.start();
    try {
      expect(await pool.reloadKnowledge(content())).toEqual([]);
      // Workers are numbered from 2 in the shared lock table (the main thread is 1).
      expect(await pool.reloadKnowledge(content({ failOn: 3 }))).toEqual([{ worker: 3, error: 'cannot build the index' }]);
      const [stopped, ...others] = await pool.reloadKnowledge(content({ exitOn: 2 }));
      expect(others).toEqual([]);
      expect(stopped).toMatchObject({ worker: 2, error: expect.stringMatching(/worker stopped \(code 3\)/) as unknown });
      // A worker that stops and cannot be started again is named at once, not waited for.
      await pool.reloadKnowledge(content({ exitOn: 2, failStartOn: 2 }));
      while (pool.running() > 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await pool.reloadKnowledge(content())).toEqual([{ worker: 2, error: 'worker not running' }]);
    } finally {
      await pool.close();
    }
  });
});
