import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { ConnectorStandIn, type Posted } from '../helpers/connector-standin.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-teams-cards');
const LINK = '[Bấm vào đây](https://evil.example)';
const BOLD = '**x**';
// As the cards carry them: every Markdown character escaped, the address written so that no client links it.
const LINK_SHOWN = '\\[Bấm vào đây\\](https\\[:\\]//evil\\[.\\]example)';
const BOLD_SHOWN = '\\*\\*x\\*\\*';
let connector: ConnectorStandIn;
let server: TestServer;
const records: RegistrationRecord[] = [];
let n = 0;

type Card = { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] };
const cardOf = (p: Posted) => (p.body.attachments as { content: Card }[])[0].content;
const texts = (card: Card) =>
  card.body.flatMap((b) => [b.text ?? '', ...(b.facts ?? []).flatMap((f) => [f.title, f.value])]);

async function officer(text: string): Promise<Card> {
  n += 1;
  const before = connector.posted.length;
  await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `in-${n}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: 'officer-1', aadObjectId: 'aad-1' },
      recipient: { id: 'bot-1' },
      conversation: { id: 'conv-officers', tenantId: 'tenant-ok' },
      channelData: { tenant: { id: 'tenant-ok' } },
      text,
    }),
  });
  return cardOf((await connector.waitFor(before + 1))[before]);
}

/** Nothing a user typed reaches the card as Markdown: neither the link nor the bold, escaped or not. */
function expectLiteral(card: Card) {
  for (const t of texts(card)) {
    expect(t).not.toContain('https://evil.example');
    expect(t).not.toMatch(/(^|[^\\])\]\(/);
    expect(t).not.toMatch(/(^|[^\\])\*\*x/);
  }
}

beforeAll(async () => {
  connector = new ConnectorStandIn();
  await connector.start();
  server = await startTestServer({ dataDir: tempDir(), env: { TEAMS: 'on', TEAMS_ALLOWED_TENANTS: 'tenant-ok' } });
  for (const [i, name] of [LINK, BOLD].entries()) {
    const draft = await server.stores.registrations.saveDraft(
      {
        userKey: `zalo:${i}`,
        channel: 'zalo',
        schemaVersion: 1,
        data: { facilityName: name, contactPerson: BOLD, address: LINK, projectName: `# ${LINK}` },
        province: 'Bắc Ninh',
        supportArea: 'may-moc-thiet-bi',
      },
      new Date(),
    );
    records.push(await server.stores.registrations.submit(draft.id, new Date()));
  }
  await server.stores.unanswered.record({
    text: `${LINK} ${BOLD}`,
    normalized: 'bam vao day x',
    channel: 'zalo',
    userHash: 'h',
    reason: 'fallback',
    createdAt: new Date(),
  });
});
afterAll(async () => {
  await server.close();
  await connector.stop();
});
beforeEach(() => {
  connector.posted.length = 0;
});

describe('what users typed, in the officers’ Teams cards', () => {
  it('shows literally in the card of a new registration', async () => {
    await officer('nhận thông báo đăng ký');
    connector.posted.length = 0;
    for (const record of records) await server.runtime.announceRegistration(record);
    const posted = await connector.waitFor(2);
    const facts = posted.map((p) => Object.fromEntries(cardOf(p).body[1].facts!.map((f) => [f.title, f.value])));
    expect(facts.map((f) => f['Tên cơ sở'])).toEqual([LINK_SHOWN, BOLD_SHOWN]);
    for (const p of posted) expectLiteral(cardOf(p));
  });

  it('shows literally in the list of registrations', async () => {
    const card = await officer('danh sách đăng ký');
    const lines = texts(card).filter((t) => t.startsWith('**KC-'));
    // The code in bold is the card's own formatting.
    const area = 'Ứng dụng máy móc thiết bị tiên tiến';
    expect(lines).toEqual([
      `**${records[1].code}** — ${BOLD_SHOWN} · Bắc Ninh · ${area}`,
      `**${records[0].code}** — ${LINK_SHOWN} · Bắc Ninh · ${area}`,
    ]);
    expectLiteral(card);
  });

  it('shows literally in the detail of a registration, in every field', async () => {
    const card = await officer(`chi tiết ${records[0].code}`);
    const facts = Object.fromEntries(card.body[1].facts!.map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({
      'Tên cơ sở': LINK_SHOWN,
      'Người liên hệ': BOLD_SHOWN,
      'Tên đề án': `\\# ${LINK_SHOWN}`,
    });
    expect(facts['Địa chỉ']).toContain(LINK_SHOWN);
    expectLiteral(card);
  });

  it('shows literally in the unanswered questions', async () => {
    const card = await officer('câu hỏi chưa trả lời');
    expect(texts(card)).toContain(`• ${LINK_SHOWN} ${BOLD_SHOWN} (zalo, không có thông tin)`);
    expectLiteral(card);
  });
});
