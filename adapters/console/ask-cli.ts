import { createInterface } from 'node:readline';
import { answerMetaOf } from '../../dialogs/index.ts';
import { bootConsole, runTool } from './boot.ts';

/**
 * `npm run ask -- --jsonl`: one question per line, each in a fresh conversation, one JSON line
 * per question: {"question","text","topic","confidence","sources"}.
 */
async function ask(): Promise<void> {
  // Each question is a fresh conversation that nothing needs to remember.
  const { runtime, adapter } = await bootConsole('ask', { persist: false });
  const lines = createInterface({ input: process.stdin, terminal: false });
  let n = 0;
  for await (const line of lines) {
    // A JSON string line is decoded, so questions with newlines can be asked too.
    let question = line;
    if (line.startsWith('"')) {
      try {
        question = String(JSON.parse(line));
      } catch {
        question = line;
      }
    }
    n += 1;
    const turn = await adapter.send({ conversationId: `ask-${n}`, userId: 'asker', text: question }, (context) =>
      runtime.bot.run(context),
    );
    const reply = turn.find((a) => answerMetaOf(a)) ?? turn[0];
    const meta = reply ? answerMetaOf(reply) : undefined;
    const out = {
      question,
      text: turn.map((a) => a.text ?? '').join('\n\n'),
      topic: meta?.topic ?? null,
      confidence: meta?.confidence ?? 0,
      sources: meta?.sources ?? [],
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

runTool(ask);
