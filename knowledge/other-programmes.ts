import type { OtherProgramme } from './schema.ts';

/** Programmes and matters that are not khuyến công, compiled for matching. */
export class OtherProgrammes {
  private readonly compiled: { programme: OtherProgramme; triggers: RegExp[]; unless: RegExp[] }[];
  /** Every trigger's head in one expression: most messages name no other programme and pass one test. */
  private readonly any: RegExp;

  constructor(programmes: readonly OtherProgramme[]) {
    this.compiled = programmes.map((programme) => ({
      programme,
      triggers: programme.triggers.map((t) => new RegExp(t)),
      unless: programme.unless.map((t) => new RegExp(t)),
    }));
    // A trigger's part before its first ".*" is enough to know whether it may match, and is
    // much cheaper to look for in every message.
    const heads = [...new Set(programmes.flatMap((p) => p.triggers.map((t) => t.split('.*')[0])))];
    this.any = heads.length > 0 ? new RegExp(heads.map((t) => `(?:${t})`).join('|')) : /(?!)/;
  }

  /** The programme with this id. */
  byId(id: string): OtherProgramme | undefined {
    return this.compiled.find((c) => c.programme.id === id)?.programme;
  }

  /** True when a folded message may name another programme (one test). */
  mentions(folded: string): boolean {
    return this.any.test(` ${folded} `);
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
