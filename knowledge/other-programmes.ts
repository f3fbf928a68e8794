import type { OtherProgramme } from './schema.ts';

/** Programmes and matters that are not khuyến công, compiled for matching. */
export class OtherProgrammes {
  private readonly compiled: { programme: OtherProgramme; triggers: RegExp[]; unless: RegExp[] }[];

  constructor(programmes: readonly OtherProgramme[]) {
    this.compiled = programmes.map((programme) => ({
      programme,
      triggers: programme.triggers.map((t) => new RegExp(t)),
      unless: programme.unless.map((t) => new RegExp(t)),
    }));
  }

  /** The programme a folded message is about, in content order; undefined when none. */
  find(folded: string): OtherProgramme | undefined {
    const text = ` ${folded} `;
    for (const { programme, triggers, unless } of this.compiled) {
      if (triggers.some((t) => t.test(text)) && !unless.some((u) => u.test(text))) return programme;
    }
    return undefined;
  }
}
