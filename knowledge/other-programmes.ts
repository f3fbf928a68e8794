import type { OtherProgramme } from './schema.ts';

/** Programmes and matters that are not khuyến công, compiled for matching. */
export class OtherProgrammes {
  private readonly compiled: { programme: OtherProgramme; triggers: RegExp[]; unless: RegExp[] }[];
  /** Every trigger in one expression: most messages name no other programme and pass one test. */
  private readonly any: RegExp;

  constructor(programmes: readonly OtherProgramme[]) {
    this.compiled = programmes.map((programme) => ({
      programme,
      triggers: programme.triggers.map((t) => new RegExp(t)),
      unless: programme.unless.map((t) => new RegExp(t)),
    }));
    const all = programmes.flatMap((p) => p.triggers);
    this.any = all.length > 0 ? new RegExp(all.map((t) => `(?:${t})`).join('|')) : /(?!)/;
  }

  /** The programme a folded message is about, in content order; undefined when none. */
  find(folded: string): OtherProgramme | undefined {
    const text = ` ${folded} `;
    if (!this.any.test(text)) return undefined;
    for (const { programme, triggers, unless } of this.compiled) {
      if (triggers.some((t) => t.test(text)) && !unless.some((u) => u.test(text))) return programme;
    }
    return undefined;
  }
}
