import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedConversation } from '../../bot/privacy.ts';
import { TURN_ERROR_TEXT } from '../../bot/turn-error.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface WebchatActivity {
  type: string;
  text: string;
  suggestedActions: { actions: { title: string; value: unknown }[] };
  attachments: unknown[];
  entities: { type: string; topic?: string | null; outcome?: string }[];
}

async function post(body: unknown, raw?: string) {
  const res = await fetch(`${server.url}/api/webchat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  const json = (await res.json()) as { activities?: WebchatActivity[]; error?: string };
  return { status: res.status, json };
}

const say = (conversationId: string, text: string) => post({ conversationId, userId: 'u1', text });
const meta = (a: WebchatActivity) => a.entities.find((e) => e.type === 'kc.answer');

describe('GET /healthz and /readyz', () => {
  it('answers 200', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('POST /api/webchat', () => {
  it('answers a question with text, a source line and suggested actions', async () => {
    const { status, json } = await say('c-answer', 'hộ kinh doanh có được hỗ trợ khuyến công không');
    expect(status).toBe(200);
    const [reply] = json.activities!;
    expect(reply.type).toBe('message');
    expect(reply.text).toMatch(/Nguồn: Nghị định 235\/2025\/NĐ-CP/);
    expect(meta(reply)).toMatchObject({ outcome: 'answered', topic: 'eligibility-household' });
    // Up to three follow-ups, plus the button that starts the eligibility check: within Zalo's five.
    const titles = reply.suggestedActions.actions.map((a) => a.title);
    expect(titles.length).toBeLessThanOrEqual(5);
    expect(titles.at(-1)).toBe('Kiểm tra cơ sở');
  });

  it('answers a follow-up button by its value', async () => {
    const first = await say('c-follow', 'mức hỗ trợ máy móc');
    const action = first.json.activities![0].suggestedActions.actions[0];
    const second = await say('c-follow', String(action.value));
    expect(meta(second.json.activities![0])?.outcome).toBe('answered');
    expect(second.json.activities![0].text.startsWith('Dạ')).toBe(true);
  });

  it('falls back politely on an out-of-scope question, without sending a tax question to the Sở Công Thương', async () => {
    const { json } = await say('c-oos', 'hạn nộp thuế thu nhập cá nhân năm nay');
    const reply = json.activities![0];
    expect(meta(reply)).toMatchObject({ outcome: 'fell-back', topic: null });
    expect(reply.text).toMatch(/không thuộc chương trình khuyến công/);
    expect(reply.text).not.toContain('Sở Công Thương');
  });

  it.each([
    ['empty', ''],
    ['emoji only', '😀🙏🎉'],
    ['control characters', '\u0000\u0001\u001b[31m'],
    ['10,000 characters', 'hỗ trợ '.repeat(1500)],
    ['mixed languages', 'Hello, cho hỏi deadline đăng ký khuyến công là when?'],
    ['hostile markup', '<script>alert(1)</script> DROP TABLE users; --'],
  ])('replies in Vietnamese to %s input without an error', async (_name, text) => {
    const { status, json } = await say(`c-bad-${_name.replace(/\W/g, '-')}`, text);
    expect(status).toBe(200);
    const reply = json.activities![0];
    expect(reply.text.length).toBeGreaterThan(10);
    expect(reply.text).toMatch(/^(Dạ|Tin nhắn)/);
    expect(reply.text).not.toMatch(/Error|stack|at \w+ \(/);
  });

  it('accepts a card submit with a value and no text', async () => {
    const { status, json } = await post({ conversationId: 'c-value', userId: 'u1', value: { action: 'unknown' } });
    expect(status).toBe(200);
    expect(json.activities![0].text).toMatch(/^Dạ/);
  });

  it('rejects malformed JSON, a wrong shape and a huge body with the right status', async () => {
    expect((await post(undefined, '{"conversationId":')).status).toBe(400);
    expect((await post({ conversationId: 'x' })).status).toBe(400);
    expect((await post({ conversationId: 'x', userId: 'u', text: 42 })).status).toBe(400);
    expect((await post({ conversationId: 'x', userId: 'u', text: 'a'.repeat(100_000) })).status).toBe(413);
  });

  it('refuses another content type with 400 and a charset other than UTF-8 with 415', async () => {
    const body = JSON.stringify({ conversationId: 'x', userId: 'u', text: 'xin chào' });
    const send = (type: string) =>
      fetch(`${server.url}/api/webchat`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await send('text/plain')).status).toBe(400);
    expect((await send('application/json; charset=latin1')).status).toBe(415);
    expect((await send('application/json; charset=UTF-8')).status).toBe(200);
  });

  it('answers as JSON that is neither sniffed nor cached, with the request id, and at the path with a trailing slash too', async () => {
    const res = await fetch(`${server.url}/api/webchat/?via=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-1' },
      body: JSON.stringify({ conversationId: 'c-slash', userId: 'u1', text: 'xin chào' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBe('abc-1');
    expect(((await res.json()) as { activities: WebchatActivity[] }).activities[0].text).toMatch(/^Dạ/);
    // A method the route does not take falls through to the JSON 404.
    expect((await fetch(`${server.url}/api/webchat`)).status).toBe(404);
  });

  it('keeps a pending "Ý bạn là…" and answers the chosen number', async () => {
    const conversationId = 'c-clarify';
    // Vague one- or two-word questions match several entries equally well.
    const candidates = ['hỗ trợ', 'đề án', 'hồ sơ', 'điều kiện', 'sáp nhập tỉnh'];
    let clarified: WebchatActivity | undefined;
    for (const text of candidates) {
      const reply = (await say(conversationId, text)).json.activities![0];
      if (meta(reply)?.outcome === 'clarified') {
        clarified = reply;
        break;
      }
    }
    if (!clarified) return expect.fail('none of the vague questions led to a clarification');
    expect(clarified.text).toMatch(/ý (bạn|anh\/chị) là/i);
    expect(clarified.suggestedActions.actions.at(-1)!.title).toBe('Không phải ý trên');
    const chosen = (await say(conversationId, '2')).json.activities![0];
    expect(meta(chosen)?.outcome).toBe('answered');
    const second = server.runtime.knowledge.entryForTitle(clarified.suggestedActions.actions[1].title);
    expect(meta(chosen)?.topic).toBe(second?.id);
  });

  it('takes "Không phải ý trên" as a rejection of the offered choices', async () => {
    const first = (await say('c-reject', 'hạn')).json.activities![0];
    expect(meta(first)?.outcome).toBe('clarified');
    const rejected = (await say('c-reject', 'Không phải ý trên')).json.activities![0];
    expect(rejected.text).toContain('chưa hiểu đúng ý anh/chị');
  });

  it('apologises in one fixed sentence when a turn fails, logs the ids, and recovers', async () => {
    const original = server.runtime.knowledge.answer.bind(server.runtime.knowledge);
    server.runtime.knowledge.answer = () => {
      throw new Error('simulated failure');
    };
    try {
      const { status, json } = await say('c-error', 'ai được hỗ trợ');
      expect(status).toBe(200);
      expect(json.activities![0].text).toBe(TURN_ERROR_TEXT);
      // Logged with the conversation hashed, as every line names it, never its id.
      expect(
        server.logs.some(
          (l) =>
            l.includes('"turn failed"') && l.includes(loggedConversation('tro-ly-khuyen-cong', 'webchat', 'c-error')),
        ),
      ).toBe(true);
      expect(server.logs.join('')).not.toContain('c-error');
    } finally {
      server.runtime.knowledge.answer = original;
    }
    const after = await say('c-error', 'ai được hỗ trợ');
    expect(meta(after.json.activities![0])?.outcome).toBe('answered');
  });
});
