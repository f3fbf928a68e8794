import { bundledKnowledgeBase, evaluate, readDevSet } from './evaluate.ts';
import { evaluateOfficers } from './officer-eval.ts';
import { evaluateOwners } from './owner-eval.ts';

/** `npm run eval`: answer quality on the development set, by category. */
const report = evaluate(bundledKnowledgeBase(), readDevSet());
const p = (x: number) => `${(x * 100).toFixed(1)}%`;
const out = process.stdout;
out.write(
  `Development set: ${report.total} questions (${p(report.shareWithoutDiacritics)} without diacritics, ${p(report.shareShorthand)} shorthand/typos, ${p(report.shareOutOfScope)} out of scope)\n\n`,
);
out.write(`In-scope top-1 (answer or first "Ý bạn là" choice): ${p(report.inScopeTop1)}\n`);
out.write(`In-scope answered directly and correctly:           ${p(report.inScopeAnsweredDirectly)}\n`);
out.write(`In-scope clarification rate:                        ${p(report.clarifyRate)}\n`);
out.write(`Out-of-scope correct fallback:                      ${p(report.outOfScopeFallback)}\n\n`);
out.write('By category:\n');
for (const [k, v] of Object.entries(report.byCategory)) out.write(`  ${k.padEnd(10)} ${p(v)}\n`);
const t = report.accentedTwin;
out.write(
  `\nAccented questions: ${p(t.accented)}; the same questions without diacritics: ${p(t.unaccented)}; gap ${(t.gap * 100).toFixed(1)} points\n`,
);
if (report.copiedFromKnowledgeBase.length > 0)
  out.write(`\nWARNING: copied from the knowledge base: ${report.copiedFromKnowledgeBase.join(' | ')}\n`);
if (report.failures.length > 0) {
  out.write(`\nMisses (${report.failures.length}):\n`);
  for (const f of report.failures)
    out.write(
      `  :${f.line} [${f.kind} ${f.confidence.toFixed(2)}] ${f.question} → ${f.got ?? 'fallback'} (expected ${f.expected ?? 'fallback'})\n`,
    );
}

// Owner-style messages and conversations, through the whole bot.
const owners = await evaluateOwners();
out.write(
  `\nOwner-style messages: ${owners.messages}; conversations: ${owners.conversations} (${owners.turns} turns)\n`,
);
for (const [k, v] of Object.entries(owners.byCategory))
  out.write(`  ${k.padEnd(11)} ${p(v.correct / v.n)} (${v.correct}/${v.n})\n`);
out.write(`In-scope owner-style right:          ${p(owners.inScope)}\n`);
out.write(`Neighbouring programmes recognised:  ${p(owners.otherRecognised)}\n`);
out.write(`Conversation turns right:            ${p(owners.turnsRight)}\n`);
if (owners.failures.length > 0) {
  out.write(`\nOwner-style misses (${owners.failures.length}):\n`);
  const verbose = process.argv.includes('--verbose');
  for (const f of owners.failures)
    out.write(`  ${f.where}: ${f.text} → ${f.why}${verbose ? `\n      ${f.reply.replace(/\n/g, '\n      ')}` : ''}\n`);
}

// Officer-style questions, each in a fresh Teams conversation, composed for a colleague.
const officers = await evaluateOfficers();
out.write(`\nOfficer-style questions (Teams, colleague wording): ${officers.messages}\n`);
for (const [k, v] of Object.entries(officers.byCategory))
  out.write(`  ${k.padEnd(11)} ${p(v.correct / v.n)} (${v.correct}/${v.n})\n`);
out.write(`In-scope officer-style right:        ${p(officers.inScope)}\n`);
out.write(`Out-of-scope officer-style right:    ${p(officers.outOfScope)}\n`);
if (officers.failures.length > 0) {
  out.write(`\nOfficer-style misses (${officers.failures.length}):\n`);
  const verbose = process.argv.includes('--verbose');
  for (const f of officers.failures)
    out.write(`  ${f.where}: ${f.text} → ${f.why}${verbose ? `\n      ${f.reply.replace(/\n/g, '\n      ')}` : ''}\n`);
}
