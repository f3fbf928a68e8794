import { createHash } from 'node:crypto';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phone numbers, tax codes and ID numbers: nine or more digits, possibly split by spaces, dots or dashes.
const LONG_NUMBER = /(?:\+?\d[\s.-]?){8,}\d/g;

/**
 * Masks e-mail addresses and long numbers (phone numbers, tax codes, ID numbers) in free text
 * before it is kept or logged; amounts such as "300 triệu" or "20/6/2023" are left alone.
 */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[số]');
}

/**
 * The form in which a conversation appears in logs: a short one-way hash of channel and
 * conversation id, salted like the user hash (a Zalo conversation id is the user's id, short
 * enough to find again from an unsalted hash), so lines of one conversation can be followed
 * without naming it.
 */
export function loggedConversation(salt: string, channelId: string, conversationId: string | undefined): string {
  return createHash('sha256')
    .update(`${salt}:conversation:${channelId}:${conversationId ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
