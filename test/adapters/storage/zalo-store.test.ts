import { describe, expect, it } from 'vitest';
import type { Stores } from '../../../bot/stores.ts';
import { STORE_ENGINES, useMigratedStores } from '../../helpers/store-suites.ts';

const t0 = Date.parse('2026-12-06T08:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const body = (text: string) => ({ recipient: { user_id: 'u' }, message: { text } });

describe.each(STORE_ENGINES)('the Zalo inbox and outbox on %s', (_name, open, skip) => {
  let stores: Stores;

  useMigratedStores(open, skip, (_database, s) => (stores = s));

  it.skipIf(skip)(
    'records an event once, however often it is delivered, holds it for the instance that recorded it, and hands back the unfinished ones nobody holds in the order they happened',
    async () => {
      const accepted = await Promise.all(
        [1, 2, 3].map(() =>
          stores.zalo.accept(
            { key: 'msg:b', userId: 'u1', event: { n: 2 }, eventAt: at(2), interactionAt: at(2), claimUntil: at(70) },
            at(10),
          ),
        ),
      );
      expect(accepted.filter(Boolean)).toHaveLength(1);
      expect(
        await stores.zalo.accept(
          { key: 'msg:a', userId: 'u1', event: { n: 1 }, eventAt: at(1), interactionAt: at(1), claimUntil: at(71) },
          at(11),
        ),
      ).toBe(true);
      // Held by the instance that recorded them, until their claims run out or are renewed.
      expect(await stores.zalo.takeUnfinished(at(20), at(100))).toEqual([]);
      await stores.zalo.renewClaims(['msg:b'], at(90));
      expect((await stores.zalo.takeUnfinished(at(80), at(140))).map((e) => e.event)).toEqual([{ n: 1 }]);
      expect((await stores.zalo.takeUnfinished(at(95), at(150))).map((e) => e.event)).toEqual([{ n: 2 }]);
      expect(await stores.zalo.takeUnfinished(at(96), at(150))).toEqual([]);
      // At start on one instance: every unfinished event, in the order they happened.
      expect((await stores.zalo.takeUnfinished(at(96), at(150), true)).map((e) => e.event)).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
      // The later interaction stays, whatever order the events were recorded in.
      expect(await stores.zalo.lastInteraction('u1')).toEqual(at(2));
      await stores.zalo.finish(
        'msg:a',
        [
          { userId: 'u1', body: body('một'), textHash: 'h1' },
          { userId: 'u1', body: body('hai'), textHash: 'h2' },
        ],
        at(12),
      );
      // Done twice (a turn resumed after a crash): nothing more is queued.
      await stores.zalo.finish(
        'msg:a',
        [
          { userId: 'u1', body: body('một'), textHash: 'h1' },
          { userId: 'u1', body: body('hai'), textHash: 'h2' },
        ],
        at(12),
      );
      expect((await stores.zalo.takeUnfinished(at(0), at(0), true)).map((e) => e.event)).toEqual([{ n: 2 }]);
      expect(await stores.zalo.pendingCount()).toBe(2);
    },
  );

  it.skipIf(skip)(
    'gives each user’s oldest waiting message only, lets one instance take it, and the next once it is sent',
    async () => {
      await stores.zalo.finish('msg:c', [{ userId: 'u2', body: body('ba'), textHash: 'h3' }], at(13));
      let next = await stores.zalo.nextToSend(at(20), 10);
      expect(next.map((m) => [m.userId, (m.body.message as { text: string }).text])).toEqual([
        ['u1', 'một'],
        ['u2', 'ba'],
      ]);
      const first = next[0];
      const claims = await Promise.all([1, 2].map(() => stores.zalo.claim(first.id, at(20), at(50))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Taken: neither it nor the user's next one is handed out until it is done.
      expect((await stores.zalo.nextToSend(at(21), 10)).map((m) => m.userId)).toEqual(['u2']);
      await stores.zalo.markSent(first.id, 'zmid-1', at(22));
      next = await stores.zalo.nextToSend(at(22), 10);
      expect(next.map((m) => (m.body.message as { text: string }).text)).toEqual(['hai', 'ba']);
      await stores.zalo.retryLater(next[0].id, at(60));
      expect((await stores.zalo.nextToSend(at(30), 10)).map((m) => m.userId)).toEqual(['u2']);
      expect(await stores.zalo.releaseClaims(at(30))).toBe(1);
      expect((await stores.zalo.nextToSend(at(30), 10)).map((m) => m.userId)).toEqual(['u1', 'u2']);
      await stores.zalo.markFailed(next[1].id, 'zalo error -230', at(31));
      expect(await stores.zalo.pendingCount()).toBe(1);
    },
  );

  it.skipIf(skip)(
    'knows its own echo by Zalo’s id, or once by the text before the send returned, and nobody else’s',
    async () => {
      expect(await stores.zalo.claimEcho('u1', 'zmid-1', null, at(0))).toBe(true);
      expect(await stores.zalo.claimEcho('u1', 'zmid-1', 'h1', at(0))).toBe(true);
      // Sent long ago: no longer taken for an echo.
      expect(await stores.zalo.claimEcho('u1', 'zmid-1', null, at(100))).toBe(false);
      // "hai" is still waiting to be sent: its echo is known by its fingerprint.
      expect(await stores.zalo.claimEcho('u1', 'unknown-id', 'h2', at(0))).toBe(true);
      expect(await stores.zalo.claimEcho('u1', 'unknown-id', 'h2', at(0))).toBe(false);
      expect(await stores.zalo.claimEcho('u2', 'zmid-1', 'h1', at(0))).toBe(false);
      expect(await stores.zalo.claimEcho('u2', 'other', 'h3', at(100))).toBe(false);
    },
  );

  it.skipIf(skip)('forgets what it keeps of one user on request, except what is still to be sent', async () => {
    const u9 = async () => (await stores.zalo.nextToSend(at(200), 10)).filter((m) => m.userId === 'u9');
    await stores.zalo.accept(
      { key: 'msg:f1', userId: 'u9', event: { n: 9 }, eventAt: at(100), interactionAt: at(100), claimUntil: at(160) },
      at(100),
    );
    await stores.zalo.finish(
      'msg:f1',
      [
        { userId: 'u9', body: body('chín'), textHash: 'h9' },
        { userId: 'u9', body: body('mười'), textHash: 'h10' },
      ],
      at(101),
    );
    await stores.zalo.markSent((await u9())[0].id, 'zmid-9', at(102));
    expect(await stores.zalo.forgetUser('u9')).toBe(3);
    expect(await stores.zalo.lastInteraction('u9')).toBeUndefined();
    const [waiting] = await u9();
    expect((waiting.body.message as { text: string }).text).toBe('mười');
    await stores.zalo.markFailed(waiting.id, 'test', at(103));
    expect(await stores.zalo.forgetUser('u9')).toBe(1);
  });

  it.skipIf(skip)(
    'forgets done events and finished messages after a while, and keeps what is still to do',
    async () => {
      const purged = await stores.zalo.purge(at(1000), at(0));
      // Three, and the emptied key of the event u9's erasure kept against redeliveries.
      expect(purged).toBe(4);
      expect(await stores.zalo.lastInteraction('u1')).toEqual(at(2));
      expect(await stores.zalo.purge(at(1000), at(3))).toBe(1);
      expect(await stores.zalo.lastInteraction('u1')).toBeUndefined();
      expect((await stores.zalo.takeUnfinished(at(0), at(0), true)).map((e) => e.event)).toEqual([{ n: 2 }]);
      expect(await stores.zalo.pendingCount()).toBe(1);
      // A purged key is a new event again (the timestamp window refuses replays that old).
      expect(
        await stores.zalo.accept(
          { key: 'msg:a', userId: 'u1', event: {}, eventAt: at(1), interactionAt: at(1), claimUntil: at(1060) },
          at(1001),
        ),
      ).toBe(true);
    },
  );
});
