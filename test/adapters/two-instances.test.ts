import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { postgresTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';

const outcome = (a: { entities: { type: string; outcome?: string }[] }) => a.entities.find((e) => e.type === 'kc.answer')?.outcome;

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await postgresTestDatabase();
    await database.db.close();
    // Both start at once: the migrations must still run exactly once.
    [a, b] = await Promise.all([startServerProcess({ DATABASE_URL: database.location }), startServerProcess({ DATABASE_URL: database.location })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('carry one conversation turn by turn, as a load balancer would spread it', async () => {
    const [clarify] = await say(a.url, 'lb-1', 'hạn');
    expect(outcome(clarify!)).toBe('clarified');
    const [picked] = await say(b.url, 'lb-1', '2');
    expect(outcome(picked!)).toBe('answered');
    const [next] = await say(a.url, 'lb-1', 'hồ sơ');
    expect(outcome(next!)).toBe('clarified');
    const [again] = await say(b.url, 'lb-1', '1');
    expect(outcome(again!)).toBe('answered');
  });

  it('never lose or fork the state when turns of one conversation arrive at both at once', async () => {
    const turns = Array.from({ length: 24 }, (_, i) => say(i % 2 === 0 ? a.url : b.url, 'lb-2', 'hạn'));
    const replies = (await Promise.all(turns)).flat();
    expect(replies).toHaveLength(24);
    expect(replies.filter((r) => r.text === TURN_ERROR_TEXT)).toEqual([]);
    expect(replies.every((r) => outcome(r) === 'clarified')).toBe(true);
    const [picked] = await say(b.url, 'lb-2', '1');
    expect(outcome(picked!)).toBe('answered');
    expect(a.output() + b.output()).not.toContain('turn failed');
  });
});
