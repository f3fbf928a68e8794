import { createInterface } from 'node:readline';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { bootConsole, runTool } from './boot.ts';

const JsonlInput = z.union([
  z.object({ user: z.string().min(1).max(128), text: z.string() }),
  z.object({ user: z.string().min(1).max(128), value: z.record(z.string(), z.unknown()) }),
]);

function toJsonl(user: string, activity: Partial<Activity>) {
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return {
    user,
    text: activity.text ?? '',
    suggestions: (activity.suggestedActions?.actions ?? []).map((a) => String(a.value ?? a.title)),
    card: (card?.content as unknown) ?? null,
  };
}

/** `npm run chat`: a terminal conversation; with --jsonl, JSON lines in and out. */
async function chat(jsonl: boolean): Promise<void> {
  const { runtime, adapter, close } = await bootConsole('console', { persist: true });
  try {
    await converse(runtime, adapter, jsonl);
  } finally {
    await close();
  }
}

async function converse(
  runtime: Awaited<ReturnType<typeof bootConsole>>['runtime'],
  adapter: Awaited<ReturnType<typeof bootConsole>>['adapter'],
  jsonl: boolean,
): Promise<void> {
  const run = (user: string, message: { text?: string; value?: Record<string, unknown> }) =>
    adapter.send({ conversationId: `console-${user}`, userId: user, ...message }, (context) =>
      runtime.bot.run(context),
    );
  // In a terminal, readline echoes what the user types only when it has an output to echo to.
  const interactive = !jsonl && process.stdin.isTTY;
  const lines = createInterface({
    input: process.stdin,
    ...(interactive ? { output: process.stdout, terminal: true } : { terminal: false }),
  });

  if (jsonl) {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let input: z.infer<typeof JsonlInput>;
      try {
        input = JsonlInput.parse(JSON.parse(line));
      } catch {
        process.stderr.write(`skipped a line that is not {"user","text"} or {"user","value"}: ${line.slice(0, 80)}\n`);
        continue;
      }
      const replies = await run(input.user, 'text' in input ? { text: input.text } : { value: input.value });
      for (const reply of replies) process.stdout.write(`${JSON.stringify(toJsonl(input.user, reply))}\n`);
    }
    return;
  }

  process.stdout.write('Trợ lý Khuyến công — gõ câu hỏi rồi Enter; gõ số để chọn gợi ý; Ctrl+D để thoát.\n\n');
  let suggestions: string[] = [];
  process.stdout.write('Bạn: ');
  for await (const line of lines) {
    const n = Number.parseInt(line.trim(), 10);
    const text = String(n) === line.trim() && n >= 1 && n <= suggestions.length ? suggestions[n - 1] : line;
    const replies = await run('you', { text });
    for (const reply of replies) {
      process.stdout.write(`\nTrợ lý: ${reply.text ?? ''}\n`);
      suggestions = (reply.suggestedActions?.actions ?? []).map((a) => String(a.value));
      suggestions.forEach((s, i) => process.stdout.write(`  [${i + 1}] ${s}\n`));
    }
    process.stdout.write('\nBạn: ');
  }
  process.stdout.write('\n');
}

runTool(() => chat(process.argv.includes('--jsonl')));
