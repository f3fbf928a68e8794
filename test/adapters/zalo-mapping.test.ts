import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseZaloEvent } from '../../adapters/zalo/zalo-events.ts';
import {
  activityToZaloMessages,
  buttonTitle,
  renderAdaptiveCard,
  splitText,
  turnToZaloMessages,
  zaloEventToActivity,
} from '../../adapters/zalo/zalo-mapping.ts';
import { SlidingWindowLimiter } from '../../adapters/zalo/zalo-outbox.ts';
import { verifyZaloSignature, zaloSignature } from '../../adapters/zalo/zalo-signature.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/zalo/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

describe('zaloEventToActivity on recorded-shape payloads', () => {
  it.each([
    [
      'user_send_text',
      { kind: 'message', userId: '246845883529197922', msgId: '96d3cdf3af150460909', text: 'ai dc ho tro kc' },
      { type: 'message', text: 'ai dc ho tro kc', id: '96d3cdf3af150460909' },
    ],
    [
      'user_send_image',
      { kind: 'unsupported-message', type: 'image' },
      { type: 'message', text: '', attachments: [{ contentType: 'application/vnd.zalo.image' }] },
    ],
    ['user_send_sticker', { kind: 'unsupported-message', type: 'sticker' }, { type: 'message', text: '' }],
    ['user_send_location', { kind: 'unsupported-message', type: 'location' }, { type: 'message', text: '' }],
    [
      'follow',
      { kind: 'follow', userId: '246845883529197922' },
      { type: 'conversationUpdate', membersAdded: [{ id: '246845883529197922', name: '' }] },
    ],
    [
      'user_submit_info',
      {
        kind: 'submit-info',
        info: { name: 'Nguyễn Văn An', phone: '84912345678', address: 'Thôn 3, Xã Phúc Lâm, Bắc Ninh' },
      },
      {
        type: 'message',
        value: { contact: { name: 'Nguyễn Văn An', phone: '84912345678', address: 'Thôn 3, Xã Phúc Lâm, Bắc Ninh' } },
      },
    ],
  ])('%s', (name, event, activity) => {
    const parsed = parseZaloEvent(fixture(name));
    expect(parsed).toMatchObject({ appId: '360846524940903967', ...event });
    const mapped = zaloEventToActivity(parsed!);
    expect(mapped).toMatchObject({
      channelId: 'zalo',
      conversation: { id: '246845883529197922' },
      from: { id: '246845883529197922' },
      ...activity,
    });
  });

  it.each(['unfollow', 'oa_send_text', 'user_received_message'])('%s reaches the adapter but not the bot', (name) => {
    const parsed = parseZaloEvent(fixture(name));
    expect(parsed).toBeDefined();
    expect(zaloEventToActivity(parsed!)).toBeUndefined();
  });

  it('keeps ids as strings even when Zalo sends numbers, and refuses what is not an event', () => {
    const parsed = parseZaloEvent({
      ...fixture('user_send_text'),
      app_id: 360846524940903967n.toString(),
      timestamp: 1764123456789,
    });
    expect(parsed).toMatchObject({ kind: 'message', appId: '360846524940903967' });
    expect(parseZaloEvent({ hello: 'world' })).toBeUndefined();
    expect(parseZaloEvent(null)).toBeUndefined();
    expect(parseZaloEvent({ app_id: '1', event_name: 'user_send_text', timestamp: '1', sender: {} })).toMatchObject({
      kind: 'unknown',
    });
  });
});

describe('activityToZaloMessages', () => {
  it('puts at most five query buttons with titles of at most 20 characters on the last piece', () => {
    const actions = Array.from({ length: 7 }, (_, i) => ({
      type: 'imBack',
      title: `Mức hỗ trợ cho dây chuyền công nghệ ${i}`,
      value: `giá trị ${i}`,
    }));
    const [message] = activityToZaloMessages(
      { type: 'message', text: 'Dạ, mời bạn chọn.', suggestedActions: { actions, to: [] } },
      'u1',
    );
    const buttons = (
      message.message.attachment as { payload: { buttons: { title: string; type: string; payload: string }[] } }
    ).payload.buttons;
    expect(buttons).toHaveLength(5);
    for (const b of buttons) {
      expect([...b.title].length).toBeLessThanOrEqual(20);
      expect(b.type).toBe('oa.query.show');
    }
    // The payload is the button's value: it comes back as the user's text.
    expect(buttons[0].payload).toBe('giá trị 0');
    expect(message.recipient).toEqual({ user_id: 'u1' });
  });

  it('splits a long answer at sentence or line boundaries, each piece within 2,000 characters', () => {
    const sentence = 'Dạ, đây là một câu trả lời khá dài về khuyến công. ';
    const text = sentence.repeat(100);
    const pieces = splitText(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(pieces.join(' ')).toBe(text.trim());
    const messages = activityToZaloMessages(
      { type: 'message', text, suggestedActions: { actions: [{ type: 'imBack', title: 'A', value: 'A' }], to: [] } },
      'u1',
    );
    expect(messages).toHaveLength(pieces.length);
    expect(messages.at(-1)!.message.attachment).toBeDefined();
    expect(messages[0].message.attachment).toBeUndefined();
  });

  it('renders an Adaptive Card to text and buttons', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Đăng ký mới' },
        { type: 'FactSet', facts: [{ title: 'Mã', value: 'KC-2026-000001' }] },
      ],
      actions: [{ type: 'Action.Submit', title: 'Chi tiết', data: { text: 'chi tiết KC-2026-000001' } }],
    };
    expect(renderAdaptiveCard(card)).toEqual({
      text: 'Đăng ký mới\nMã: KC-2026-000001',
      buttons: [{ title: 'Chi tiết', payload: 'chi tiết KC-2026-000001' }],
    });
    const [m] = activityToZaloMessages(
      { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] },
      'u1',
    );
    expect(m.message.text).toBe('Đăng ký mới\nMã: KC-2026-000001');
  });

  it('sends the contact request as a request_user_info template when an image is configured', () => {
    const activity = { type: 'message', text: 'Họ tên người liên hệ?', entities: [{ type: 'kc.contact-request' }] };
    expect(activityToZaloMessages(activity, 'u1')).toHaveLength(1);
    const withImage = activityToZaloMessages(activity, 'u1', { contactImageUrl: 'https://example.invalid/c.png' });
    expect(withImage[1].message.attachment).toMatchObject({ payload: { template_type: 'request_user_info' } });
  });

  it('shortens titles on character boundaries', () => {
    expect(buttonTitle('Ngắn')).toBe('Ngắn');
    expect([...buttonTitle('Hỗ trợ ứng dụng máy móc thiết bị tiên tiến')].length).toBe(20);
  });
});

describe('turnToZaloMessages: the replies of one turn in as few calls as the format allows', () => {
  const say = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'message', text, ...extra });
  const buttons = { suggestedActions: { actions: [{ type: 'imBack', title: 'Có', value: 'có' }], to: [] } };
  const texts = (activities: Record<string, unknown>[]) =>
    turnToZaloMessages(activities, 'u1').map((m) => [m.message.text, m.message.attachment ? 'buttons' : '']);
  it.each([
    ['two texts join into one message', [say('Một.'), say('Hai.')], [['Một.\n\nHai.', '']]],
    [
      'a text joins the next one with buttons; the buttons stay last',
      [say('Một.'), say('Hai?', buttons)],
      [['Một.\n\nHai?', 'buttons']],
    ],
    [
      'buttons end a message: what follows them starts another',
      [say('Một?', buttons), say('Hai.')],
      [
        ['Một?', 'buttons'],
        ['Hai.', ''],
      ],
    ],
    [
      'texts that together pass 2,000 characters stay apart',
      [say('a'.repeat(1500)), say('b'.repeat(1000))],
      [
        ['a'.repeat(1500), ''],
        ['b'.repeat(1000), ''],
      ],
    ],
    [
      'typing and other activities send nothing',
      [{ type: 'typing' }, say('Một.'), { type: 'event', name: 'x' }, say('Hai.')],
      [['Một.\n\nHai.', '']],
    ],
  ])('%s', (_name, activities, expected) => {
    expect(texts(activities)).toEqual(expected);
  });
});

describe('SlidingWindowLimiter', () => {
  it('lets at most the limit through in any window, first come first served', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new SlidingWindowLimiter(
      3,
      60_000,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const ended = await limiter.acquire();
      times.push(now);
      // Each call takes half a second: it counts until a window after it ended.
      now += 500;
      ended();
      now += 500;
    }
    expect(times).toEqual([0, 1_000, 2_000, 60_500, 61_500, 62_500, 121_000]);
    limiter.pauseFor(30_000);
    await limiter.acquire();
    expect(now).toBeGreaterThanOrEqual(152_000);
  });
});

describe('X-ZEvent-Signature', () => {
  const raw = Buffer.from(JSON.stringify(fixture('user_send_text')));
  it('accepts the right mac and refuses others', () => {
    const mac = zaloSignature('360846524940903967', raw, '1764123456789', 'oa-secret');
    expect(verifyZaloSignature(`mac=${mac}`, '360846524940903967', raw, '1764123456789', 'oa-secret')).toBe(true);
    expect(verifyZaloSignature(`mac=${mac}`, '360846524940903967', raw, '1764123456789', 'another-secret')).toBe(false);
    expect(
      verifyZaloSignature(
        `mac=${mac}`,
        '360846524940903967',
        Buffer.concat([raw, Buffer.from(' ')]),
        '1764123456789',
        'oa-secret',
      ),
    ).toBe(false);
    expect(verifyZaloSignature(undefined, '360846524940903967', raw, '1764123456789', 'oa-secret')).toBe(false);
    expect(verifyZaloSignature('mac=abc', '360846524940903967', raw, '1764123456789', 'oa-secret')).toBe(false);
  });
});
