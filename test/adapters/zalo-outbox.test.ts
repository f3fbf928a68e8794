import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../adapters/storage/migrations.ts';
import { storesOn } from '../../adapters/storage/open-stores.ts';
import { ZaloHttpError } from '../../adapters/zalo/zalo-client.ts';
import { SlidingWindowLimiter, ZaloOutbox } from '../../adapters/zalo/zalo-outbox.ts';
import { createLogger } from '../../bot/logger.ts';
import type { Stores } from '../../bot/stores.ts';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/databases.ts';

let database: TestDatabase;
let stores: Stores;

beforeAll(async () => {
  database = sqliteTestDatabase();
  await migrate(database.db);
  stores = storesOn(database.db);
});
afterAll(async () => {
  await database.drop();
});

describe('the Zalo outbox', () => {
  it('gives back the rate-limit slot of a send that failed before it called Zalo (no token), so the next users are still served', async () => {
    const now = new Date();
    for (const user of ['a', 'b', 'c'])
      await stores.zalo.finish(
        `msg:${user}`,
        [{ userId: user, body: { recipient: { user_id: user }, message: { text: user } }, textHash: null }],
        now,
      );
    const sent: string[] = [];
    const client = {
      send: async (body: { recipient: { user_id: string } }) => {
        const user = body.recipient.user_id;
        // As when the tokens cannot be read or refreshed: it fails before any call to Zalo.
        if (user !== 'c') throw new ZaloHttpError('send a Zalo message', 'no Zalo token is configured');
        sent.push(user);
        return 'mid-c';
      },
    };
    const outbox = new ZaloOutbox({
      store: stores.zalo,
      client: client,
      limiter: new SlidingWindowLimiter(1, 100),
      logger: createLogger('silent'),
      salt: 'test-salt-for-logs',
    });
    await outbox.start(true);
    try {
      for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sent).toEqual(['c']);
    } finally {
      await outbox.stop();
    }
  });
});
