import { ActionTypes, ActivityTypes, type Activity, type CardAction } from 'botbuilder';
import type { Choice, KnowledgeAnswer } from '../knowledge/index.ts';

/** The entity type that carries an answer's metadata (topic, confidence, sources) on a reply. */
export const ANSWER_ENTITY = 'kc.answer';

/** Metadata of how a turn was answered, attached to the reply for channels and tools. */
export interface AnswerMeta {
  outcome: 'answered' | 'clarified' | 'fell-back';
  topic: string | null;
  confidence: number;
  sources: string[];
}

/** A text reply with up to `max` suggested actions that send their value back as text. */
export function textReply(text: string, choices: readonly Choice[] = [], meta?: AnswerMeta): Partial<Activity> {
  const reply: Partial<Activity> = { type: ActivityTypes.Message, text, inputHint: 'acceptingInput' };
  if (choices.length > 0) {
    const actions: CardAction[] = choices.map((c) => ({ type: ActionTypes.ImBack, title: c.title, value: c.value }));
    reply.suggestedActions = { actions, to: [] };
  }
  if (meta) reply.entities = [{ type: ANSWER_ENTITY, ...meta }];
  return reply;
}

/** The reply for a knowledge-base answer, clarification or fallback. */
export function answerReply(answer: KnowledgeAnswer): Partial<Activity> {
  const confidence = Math.round(answer.confidence * 1000) / 1000;
  switch (answer.kind) {
    case 'answer':
      return textReply(answer.text, answer.followUps, {
        outcome: 'answered',
        topic: answer.entry.id,
        confidence,
        sources: answer.sources,
      });
    case 'clarify':
      return textReply(
        `${answer.text}\n${answer.choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}`,
        [...answer.choices, { title: 'Không phải ý trên', value: 'Không phải ý trên' }],
        { outcome: 'clarified', topic: answer.candidates[0]?.id ?? null, confidence, sources: [] },
      );
    case 'fallback':
      return textReply(answer.text, answer.suggestions, { outcome: 'fell-back', topic: null, confidence, sources: [] });
  }
}

/** Reads the answer metadata back from a reply, if it has any. */
export function answerMetaOf(activity: Partial<Activity>): AnswerMeta | undefined {
  const entity = activity.entities?.find((e) => e.type === ANSWER_ENTITY);
  return entity ? (entity as unknown as AnswerMeta) : undefined;
}
