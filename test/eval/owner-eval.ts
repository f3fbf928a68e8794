import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { loadContentOrThrow } from '../../adapters/content/content-files.ts';
import { InProcessAdapter } from '../../adapters/local/in-process-adapter.ts';
import { createLogger } from '../../bot/logger.ts';
import { TURN_AUDIENCE } from '../../bot/request-context.ts';
import { createRuntime } from '../../bot/runtime.ts';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';

/** One owner-style message and what its reply must and must not contain. */
export interface OwnerMessage {
  category: 'situation' | 'ineligible' | 'multipart' | 'plain' | 'other';
  must: RegExp[];
  mustNot: RegExp[];
  text: string;
  line: number;
}

/** One turn of a conversation. */
export interface ConversationTurn {
  say: string;
  must: RegExp[];
  mustNot: RegExp[];
}

/** A multi-turn conversation. */
export interface Conversation {
  name: string;
  turns: ConversationTurn[];
}

const regexes = (column: string | undefined): RegExp[] =>
  !column || column === '-' ? [] : column.split(' && ').map((r) => new RegExp(r, 'i'));

/** Reads the owner-style messages (TSV: category, must, mustNot, message). */
export function readOwnerMessages(path = new URL('./owner-messages.tsv', import.meta.url)): OwnerMessage[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((raw, i) => ({ raw, line: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'))
    .map(({ raw, line }) => {
      const [category, must, mustNot, text] = raw.split('\t');
      if (!category || !must || !mustNot || !text)
        throw new Error(`owner-messages.tsv:${line}: expected four tab-separated fields`);
      return {
        category: category as OwnerMessage['category'],
        must: regexes(must),
        mustNot: regexes(mustNot),
        text,
        line,
      };
    });
}

/** Reads the multi-turn conversations. */
export function readConversations(path = new URL('./conversations.yaml', import.meta.url)): Conversation[] {
  const data = parse(readFileSync(path, 'utf8')) as {
    conversations: { name: string; turns: { say: string; must?: string[]; mustNot?: string[] }[] }[];
  };
  return data.conversations.map((c) => ({
    name: c.name,
    turns: c.turns.map((t) => ({
      say: t.say,
      must: (t.must ?? []).map((r) => new RegExp(r, 'i')),
      mustNot: (t.mustNot ?? []).map((r) => new RegExp(r, 'i')),
    })),
  }));
}

/**
 * A whole bot in this process (memory state, no records), answering as the channels do; with
 * `officer`, as Teams does: the channel is "msteams" and the turn says an officer asks.
 */
export function inProcessBot(now = new Date('2026-11-26T09:00:00+07:00'), options: { officer?: boolean } = {}) {
  const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));
  const runtime = createRuntime({
    config: { TZ: 'Asia/Ho_Chi_Minh' },
    logger,
    content: loadContentOrThrow(BUNDLED_CONTENT_DIR),
    clock: () => now,
  });
  const adapter = new InProcessAdapter(options.officer ? 'msteams' : 'webchat');
  runtime.attach(adapter);
  return {
    /** Sends one message in a conversation and returns the text of the bot's replies, joined. */
    async say(conversationId: string, text: string): Promise<string> {
      const replies = await adapter.send({ conversationId, userId: `u-${conversationId}`, text }, (context) => {
        if (options.officer) context.turnState.set(TURN_AUDIENCE, 'officer');
        return runtime.bot.run(context);
      });
      return replies.map((r) => r.text ?? '').join('\n---\n');
    },
  };
}

/** Why a reply is wrong, or undefined when it is right. */
export function judge(reply: string, must: RegExp[], mustNot: RegExp[]): string | undefined {
  const missing = must.filter((r) => !r.test(reply));
  const present = mustNot.filter((r) => r.test(reply));
  if (missing.length === 0 && present.length === 0) return undefined;
  return [...missing.map((r) => `missing /${r.source}/`), ...present.map((r) => `has /${r.source}/`)].join(', ');
}

/** The owner-style figures `npm run eval` prints and the quality test asserts. */
export interface OwnerReport {
  byCategory: Record<string, { n: number; correct: number }>;
  /** Situation, ineligible, multipart and plain messages together. */
  inScope: number;
  /** Neighbouring programmes and matters that are not khuyến công, recognised as such. */
  otherRecognised: number;
  messages: number;
  conversations: number;
  turns: number;
  turnsRight: number;
  failures: { where: string; text: string; why: string; reply: string }[];
}

/** Runs the owner-style messages (each in a fresh conversation) and the conversations. */
export async function evaluateOwners(
  messages = readOwnerMessages(),
  conversations = readConversations(),
): Promise<OwnerReport> {
  const bot = inProcessBot();
  const byCategory: OwnerReport['byCategory'] = {};
  const failures: OwnerReport['failures'] = [];
  for (const m of messages) {
    const reply = await bot.say(randomUUID(), m.text);
    const why = judge(reply, m.must, m.mustNot);
    const tally = (byCategory[m.category] ??= { n: 0, correct: 0 });
    tally.n += 1;
    if (why) failures.push({ where: `owner-messages.tsv:${m.line} ${m.category}`, text: m.text, why, reply });
    else tally.correct += 1;
  }
  let turns = 0;
  let turnsRight = 0;
  for (const c of conversations) {
    const id = randomUUID();
    for (const [i, t] of c.turns.entries()) {
      const reply = await bot.say(id, t.say);
      const why = judge(reply, t.must, t.mustNot);
      turns += 1;
      if (why) failures.push({ where: `conversation "${c.name}" turn ${i + 1}`, text: t.say, why, reply });
      else turnsRight += 1;
    }
  }
  const share = (cats: string[]) => {
    const n = cats.reduce((a, c) => a + (byCategory[c]?.n ?? 0), 0);
    return n === 0 ? 1 : cats.reduce((a, c) => a + (byCategory[c]?.correct ?? 0), 0) / n;
  };
  return {
    byCategory,
    inScope: share(['situation', 'ineligible', 'multipart', 'plain']),
    otherRecognised: share(['other']),
    messages: messages.length,
    conversations: conversations.length,
    turns,
    turnsRight: turns === 0 ? 1 : turnsRight / turns,
    failures,
  };
}
