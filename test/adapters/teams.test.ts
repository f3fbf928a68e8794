import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FILLED_REGISTRATION } from '../helpers/registration-answers.ts';
import { teamsMessage } from '../helpers/teams-activity.ts';
import { ConnectorStandIn } from '../helpers/connector-standin.ts';
import { say, startTestServer, type TestServer } from '../helpers/server.ts';

let connector: ConnectorStandIn;
let server: TestServer;
let dataDir: string;

/** A message from an officer of the allowed tenant, as the Bot Connector posts it. */
const teamsActivity = (conversationId: string, fields: Record<string, unknown>) =>
  teamsMessage(
    {
      serviceUrl: connector.url,
      conversationId,
      tenant: 'tenant-ok',
      from: { id: 'officer-1', name: 'Cán bộ A', aadObjectId: 'aad-1' },
    },
    fields,
  );

async function post(activity: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  return res.status;
}

type Card = {
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions: { type: string; title: string; data?: { text: string } }[];
  version: string;
};
const cardOf = (p: { body: Record<string, unknown> }) =>
  (p.body.attachments as { content: Card }[] | undefined)?.[0]?.content;

beforeAll(async () => {
  connector = new ConnectorStandIn();
  await connector.start();
  dataDir = mkdtempSync(join(tmpdir(), 'kc-teams-'));
  server = await startTestServer({
    dataDir,
    env: { TEAMS: 'on', TEAMS_ALLOWED_TENANTS: 'tenant-ok' },
    teamsConnectorTimeoutMs: 300,
  });
});
afterAll(async () => {
  await server.close();
  await connector.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  connector.posted.length = 0;
});

describe('Teams in local mode, against a local stand-in of the Bot Connector', () => {
  it('answers a question with an Adaptive Card 1.5: the answer, its source apart, follow-ups as Action.Submit', async () => {
    expect(
      await post(
        teamsActivity('conv-q', {
          text: '<at>Trợ lý Khuyến công</at> mức hỗ trợ máy móc',
          entities: [
            {
              type: 'mention',
              text: '<at>Trợ lý Khuyến công</at>',
              mentioned: { id: 'bot-1', name: 'Trợ lý Khuyến công' },
            },
          ],
        }),
      ),
    ).toBe(200);
    const [posted] = await connector.waitFor(1);
    expect(posted.conversationId).toBe('conv-q');
    const card = cardOf(posted)!;
    expect(card.version).toBe('1.5');
    expect(card.body[0].text).toMatch(/^Dạ, theo Thông tư 28\/2018\/TT-BTC/);
    expect(card.body.at(-1)!.text).toMatch(/^Nguồn: Thông tư 28\/2018\/TT-BTC/);
    expect(card.actions.length).toBeGreaterThan(0);
    expect(card.actions[0]).toMatchObject({ type: 'Action.Submit', data: { text: expect.any(String) } });
  });

  it('answers an officer as a colleague (the figure, its circular, no "hỏi Sở Công Thương"), while the web chat keeps the owner wording', async () => {
    expect(await post(teamsActivity('conv-officer', { text: 'MHTD tổng 3,6 tỷ thì KCQG tối đa bao nhiêu' }))).toBe(200);
    expect(await post(teamsActivity('conv-officer-2', { text: 'mức hỗ trợ máy móc thiết bị' }))).toBe(200);
    const posted = await connector.waitFor(2);
    const texts = posted.map((p) =>
      cardOf(p)!
        .body.map((b) => b.text ?? '')
        .join('\n'),
    );
    const figure = texts.find((t) => /mô hình/.test(t))!;
    expect(figure).toMatch(/3,6 tỷ × 30% = 1,08 tỷ/);
    expect(figure).toMatch(/tối đa 1 tỷ đồng/);
    expect(figure).toMatch(/Thông tư 28\/2018\/TT-BTC/);
    expect(figure.match(/64\/2024/g)).toHaveLength(1);
    const rule = texts.find((t) => /máy móc thiết bị tiên tiến/.test(t))!;
    expect(rule).toMatch(/Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công/);
    expect(rule).not.toMatch(/với Sở Công Thương/);
    const [owner] = await say(server.url, 'web-owner', 'mức hỗ trợ máy móc thiết bị');
    // The owner gets the part that fits a phone, the rest behind "Xem chi tiết", and no national body.
    expect(owner.suggestedActions.actions[0].title).toBe('Xem chi tiết');
    expect(owner.text).not.toMatch(/Cục Đổi mới sáng tạo/);
  });

  it('logs the turn with the id of the request that brought it', async () => {
    expect(
      await post(teamsActivity('conv-rid', { text: 'mức hỗ trợ máy móc' }), { 'x-request-id': 'teams-req-7' }),
    ).toBe(200);
    await connector.waitFor(1);
    const line = await server.waitForLog((l) => l.msg === 'turn' && l.requestId === 'teams-req-7');
    expect(line).toMatchObject({ channel: 'msteams', outcome: 'answered' });
  });

  it('handles a card submit that has a value and no text', async () => {
    expect(await post(teamsActivity('conv-s', { value: { text: 'Vốn đối ứng là gì' } }))).toBe(200);
    const [posted] = await connector.waitFor(1);
    expect(cardOf(posted)!.body[0].text).toMatch(/^Dạ, vốn đối ứng là phần tiền/);
    expect(await post(teamsActivity('conv-s', { value: { unexpected: true } }))).toBe(200);
    await connector.waitFor(2);
    expect(cardOf(connector.posted[1])!.body[0].text).toMatch(/^Dạ/);
  });

  it('refuses a deeply nested value with 400, before botbuilder walks it', async () => {
    const body = JSON.stringify(teamsActivity('conv-deep', { value: { marker: true } })).replace(
      '{"marker":true}',
      `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    );
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'too_deeply_nested' });
    expect(await post(teamsActivity('conv-deep', { text: 'vốn đối ứng là gì' }))).toBe(200);
  });

  it('sends a welcome card when the bot is installed', async () => {
    expect(
      await post(
        teamsActivity('conv-w', { type: 'conversationUpdate', membersAdded: [{ id: 'officer-1' }, { id: 'bot-1' }] }),
      ),
    ).toBe(200);
    const [posted] = await connector.waitFor(1);
    expect(cardOf(posted)!.body[0].text).toMatch(/^Dạ, xin chào! Tôi là Trợ lý Khuyến công/);
    expect(cardOf(posted)!.actions.map((a) => a.title)).toContain('Điền bản đăng ký');
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.posted).toHaveLength(1);
  });

  it('refuses politely a tenant that is not allowed', async () => {
    expect(
      await post(
        teamsActivity('conv-t', {
          text: 'xin chào',
          channelData: { tenant: { id: 'tenant-other' } },
          conversation: { id: 'conv-t', tenantId: 'tenant-other' },
        }),
      ),
    ).toBe(200);
    const [posted] = await connector.waitFor(1);
    expect(String(posted.body.text ?? '')).toContain('chỉ phục vụ cán bộ');
  });

  it('gives up on a Bot Connector that never answers, after a bounded number of attempts, and says so in the log', async () => {
    connector.hanging.add('conv-hang');
    const status = await post(teamsActivity('conv-hang', { text: 'mức hỗ trợ máy móc' }));
    // The reply times out (300 ms here), the turn fails, and its apology times out too; neither is retried.
    expect(status).toBeGreaterThanOrEqual(200);
    expect(connector.hungAttempts).toBe(2);
    expect(server.logs.join('')).toMatch(/"msg":"turn failed"/);
  }, 60_000);

  it('stops the notifications of a conversation the bot is removed from, or uninstalled in', async () => {
    const subscribed = async () => (await server.stores.references.list('msteams')).map((r) => r.key);
    for (const id of ['conv-left', 'conv-uninstalled'])
      await post(teamsActivity(id, { text: 'nhận thông báo đăng ký' }));
    await connector.waitFor(2);
    expect(await subscribed()).toEqual(expect.arrayContaining(['teams-sub:conv-left', 'teams-sub:conv-uninstalled']));
    await post(
      teamsActivity('conv-left', { type: 'conversationUpdate', text: undefined, membersRemoved: [{ id: 'bot-1' }] }),
    );
    await post(teamsActivity('conv-uninstalled', { type: 'installationUpdate', text: undefined, action: 'remove' }));
    expect(await subscribed()).not.toContain('teams-sub:conv-left');
    expect(await subscribed()).not.toContain('teams-sub:conv-uninstalled');
  });

  it('notifies a subscribed conversation of a registration confirmed through the web chat, with a card', async () => {
    await post(teamsActivity('conv-n', { text: 'nhận thông báo đăng ký Bắc Ninh' }));
    await connector.waitFor(1);
    expect(cardOf(connector.posted[0])!.body[0].text).toContain('Bắc Ninh');
    connector.posted.length = 0;

    const answers = [...FILLED_REGISTRATION, 'xác nhận'];
    let last = '';
    for (const a of answers) last = (await say(server.url, 'web-reg', a)).map((r) => r.text).join('\n');
    expect(last).toMatch(/KC-2026-\d{6}/);
    const [notice] = await connector.waitFor(1);
    expect(notice.conversationId).toBe('conv-n');
    const card = cardOf(notice)!;
    expect(card.body[0].text).toBe('Đăng ký khuyến công mới');
    const facts = Object.fromEntries(card.body[1].facts!.map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({
      'Tên cơ sở': 'HTX mây tre Phúc Lâm',
      'Tỉnh, thành phố': 'Bắc Ninh',
      'Kinh phí đề nghị hỗ trợ': '300.000.000 đồng',
    });
    expect(facts['Mã']).toMatch(/^KC-2026-\d{6}$/);
    expect(card.actions.map((a) => a.type)).toEqual(['Action.Submit', 'Action.OpenUrl']);

    // Commands, with buttons: the list, one registration, the unanswered questions, then stop.
    connector.posted.length = 0;
    await post(teamsActivity('conv-n', { text: 'danh sách đăng ký Bắc Ninh' }));
    await post(teamsActivity('conv-n', { value: { text: `chi tiết ${facts['Mã']}` } }));
    await post(teamsActivity('conv-n', { text: 'câu hỏi chưa trả lời' }));
    await post(teamsActivity('conv-n', { text: 'dừng thông báo' }));
    const posted = await connector.waitFor(4);
    expect(
      cardOf(posted[0])!
        .body.map((b) => b.text ?? '')
        .join('\n'),
    ).toContain('HTX mây tre Phúc Lâm');
    expect(cardOf(posted[1])!.body[0].text).toBe(`Đăng ký ${facts['Mã']}`);
    expect(cardOf(posted[2])!.body[0].text).toBe('Câu hỏi chưa trả lời được');
    expect(JSON.stringify(posted[3].body)).toContain('không nhận thông báo');
  });
});

describe('Teams with an app id', () => {
  it('rejects a request without a valid token with 401', async () => {
    const locked = await startTestServer({
      dataDir: mkdtempSync(join(tmpdir(), 'kc-teams-auth-')),
      env: {
        TEAMS: 'on',
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'secret',
        MicrosoftAppTenantId: 'tenant-ok',
      },
    });
    try {
      const activity = teamsActivity('conv-auth', { text: 'xin chào' });
      const noToken = await fetch(`${locked.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(noToken.status).toBe(401);
      const forged = await fetch(`${locked.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.c2lnbmF0dXJl',
        },
        body: JSON.stringify(activity),
      });
      expect(forged.status).toBe(401);
      expect(connector.posted).toHaveLength(0);
    } finally {
      await locked.close();
    }
  });
});

describe('a turn that outlives its deadline', () => {
  it('lets go of its conversation, so the next message is answered rather than queued behind it', async () => {
    // Bot Connector calls may take 30 s here, the turn 300 ms: a hung reply outlives its turn.
    const hung = new ConnectorStandIn();
    await hung.start();
    const slow = await startTestServer({
      dataDir: mkdtempSync(join(tmpdir(), 'kc-teams-deadline-')),
      env: { TEAMS: 'on', TEAMS_ALLOWED_TENANTS: 'tenant-ok' },
      teamsConnectorTimeoutMs: 30_000,
      turnDeadlineMs: 300,
    });
    const to = (text: string) =>
      fetch(`${slow.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...teamsActivity('conv-deadline', { text }), serviceUrl: hung.url }),
      });
    try {
      hung.hanging.add('conv-deadline');
      // Its reply never arrives, and neither does its apology: this request stays open.
      const first = to('mức hỗ trợ máy móc').catch(() => undefined);
      const failed = await slow.waitForLog((l) => l.msg === 'turn failed');
      expect(JSON.stringify(failed)).toContain('the turn did not finish within 300 ms');
      // Its reply and its apology both hang.
      for (let i = 0; i < 200 && hung.hungAttempts < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(hung.hungAttempts).toBe(2);
      hung.hanging.delete('conv-deadline');
      // Without the deadline this one would wait for the first turn's lock, 30 s.
      const started = performance.now();
      expect((await to('vốn đối ứng là gì')).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(10_000);
      const [answer] = await hung.waitFor(1);
      expect(cardOf(answer)!.body[0].text).toMatch(/^Dạ, vốn đối ứng/);
      // The stand-in closing its connections ends the first request's hung calls.
      await hung.stop();
      await first;
    } finally {
      await hung.stop();
      await slow.close();
    }
  }, 60_000);
});
