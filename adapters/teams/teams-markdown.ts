/**
 * Teams renders Markdown in Adaptive Cards (TextBlock, Fact.Title, Fact.Value) and in messages: a
 * subset of CommonMark — bold, italic, bulleted and numbered lists, links `[title](url)` — and
 * its clients turn bare addresses into links as well. Whatever a user typed (a facility name, a
 * question) goes through `escapeMarkdown` on its way into a card or a Teams message, so that it
 * shows as the characters typed and never as a link, emphasis, a list or a heading in front of
 * officers.
 */

// CommonMark's inline syntax (emphasis, code, links and images, autolinks and HTML, entities),
// and headings, block quotes, tables and strikethrough, which some clients render; braces stop
// Adaptive Cards' {{DATE(…)}} and {{TIME(…)}} functions. A backslash before any ASCII punctuation
// shows it as itself. Parentheses need none: with every bracket escaped, no `](` can open a link.
const INLINE = /[\\`*_[\]{}<>#|~&]/g;
// A bulleted item, a setext heading's underline or a thematic break ("-", "+", "="), or a
// numbered item ("1. " or "1) ", not an amount such as "300.000") at the start of a line ("*" and
// "#" are escaped everywhere above).
const LINE_START = /^([ \t]*)(?:([-+=])|(\d{1,9})([.)])(?=[ \t]|$))/gm;

// Top-level domains that clients link without a scheme: every two-letter country code, and the
// generic ones most used (phishing included). "TP.HCM" stays as it is; "evil.com" does not.
const GENERIC_TLDS = new Set(
  'com net org info biz io co app dev xyz top site online club shop store vip link click live pro me tv cc ai gov edu mil int asia mobi name tech cloud icu buzz work fun space website win bid loan men date download review stream racing party trade science cam monster rest bar best life world today news email digital social zip mov page blog art design agency host press'.split(
    ' ',
  ),
);
const isTld = (label: string) =>
  /^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/i.test(label) &&
  (label.length === 2 || /^xn--/i.test(label) || GENERIC_TLDS.has(label.toLowerCase()));
// The full stop, and those that browsers read as one in a host name (ideographic, fullwidth, halfwidth).
const DOT = /[.\u3002\uFF0E\uFF61]/g;
// What follows a scheme's "://" (whatever the scheme), or text starting "www.", up to the next space.
const ADDRESS = /:\/\/\S*|(?<![\p{L}\p{N}_-])www[.\u3002\uFF0E\uFF61]\S*/giu;
// A run of letters, digits, hyphens and dots: a host name, if a label of it is a top-level domain.
const DOTTED = /[\p{L}\p{N}\-.\u3002\uFF0E\uFF61]+/gu;

const defang = (address: string) => address.replace('://', '[:]//').replace(DOT, '[.]');

/**
 * Addresses written so that no client links them, the way security advisories quote them:
 * "https://evil.example/a" → "https[:]//evil[.]example/a", "evil.com" → "evil[.]com". Each
 * character is looked at a bounded number of times, whatever the input.
 */
function defangAddresses(text: string): string {
  return text.replace(ADDRESS, defang).replace(DOTTED, (run) => {
    const labels = run.split(DOT);
    return labels.some((label, i) => i > 0 && /[\p{L}\p{N}]$/u.test(labels[i - 1]) && isTld(label)) ? defang(run) : run;
  });
}

/** `text` as Teams shows it literally in a card or a message: no Markdown, no link. */
export function escapeMarkdown(text: string): string {
  return defangAddresses(text)
    .replace(INLINE, '\\$&')
    .replace(
      LINE_START,
      (_all, indent: string, mark: string | undefined, number: string | undefined, delimiter: string | undefined) =>
        mark ? `${indent}\\${mark}` : `${indent}${number}\\${delimiter}`,
    );
}
