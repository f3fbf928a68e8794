import { validateContent, type KnowledgeContent } from '../knowledge/index.ts';
import type { Logger } from './logger.ts';
import type { ContentStore, ContentVersionInfo } from './stores.ts';

/** Raised when content cannot be published because it does not pass `npm run kb -- validate`'s checks. */
export class InvalidContentError extends Error {
  override readonly name = 'InvalidContentError';
  constructor(readonly problems: { file: string; line: number; message: string }[]) {
    super(`cannot publish the content because it is invalid (${problems.length} problem(s))`);
  }
}

/**
 * Which content version this instance answers from, kept in step with the store: the newest
 * published version, or the bundled content (the seed) while none was ever published. Every
 * instance checks the store on a short interval, so a version published on one reaches the others
 * without a restart; turns keep being answered from the previous content until the new one is built.
 */
export class KnowledgeVersions {
  /** -1 until the store was first read: the runtime was built from the seed. */
  private version = -1;
  private content: KnowledgeContent;
  /** A stored version this code could not read, reported once. */
  private unreadable = -1;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly deps: {
      store: ContentStore;
      /** Builds a knowledge base from `content` and answers from it from the next turn. */
      apply: (content: KnowledgeContent) => void;
      /** The bundled content: live until a version is published, and version 0 afterwards. */
      seed: KnowledgeContent;
      logger: Logger;
    },
  ) {
    this.content = deps.seed;
  }

  /** The live version this instance answers from (0: the bundled content). */
  get live(): number {
    return Math.max(this.version, 0);
  }

  /** The content this instance answers from. */
  get liveContent(): KnowledgeContent {
    return this.content;
  }

  /** The bundled content changed (an operator's SIGHUP): it is live while no version was published. */
  replaceSeed(seed: KnowledgeContent): boolean {
    this.deps.seed = seed;
    if (this.version > 0) return false;
    this.switchTo(0, seed);
    return true;
  }

  /** Looks at the store now and switches to its live version if it is not the one answering. */
  refresh(): Promise<boolean> {
    // One look at a time: a slow store must not stack checks up.
    this.refreshing ??= this.look().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Checks the store every `intervalMs`; returns the function that stops it. */
  watch(intervalMs: number): () => void {
    const timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.deps.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'cannot check the knowledge version; the current one stays',
        ),
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Publishes `content` as the next version (refused if `expectedLive` is no longer live) and
   * answers from it at once; the other instances follow at their next check.
   */
  async publish(input: {
    content: KnowledgeContent;
    author: string;
    note: string;
    expectedLive?: number;
    restoredFrom?: number;
    now: Date;
  }): Promise<ContentVersionInfo> {
    const checked = validateContent(input.content);
    if (!checked.ok) throw new InvalidContentError(checked.errors);
    const info = await this.deps.store.publish(
      {
        content: checked.content,
        author: input.author,
        note: input.note,
        expectedLive: input.expectedLive,
        restoredFrom: input.restoredFrom,
        seed: this.deps.seed,
      },
      input.now,
    );
    // This instance answers from what it just checked, without reading it back; unless a later
    // version went live meanwhile (another instance), which the next look finds.
    await this.refreshing;
    if (info.version > this.version) this.switchTo(info.version, checked.content);
    return info;
  }

  /** Publishes an earlier version's content again, as a new version: one action restores it. */
  async rollback(input: { to: number; author: string; note: string; now: Date }): Promise<ContentVersionInfo> {
    const content = input.to === 0 && (await this.deps.store.liveVersion()) === 0 ? this.deps.seed : undefined;
    const old = content ?? (await this.deps.store.get(input.to))?.content;
    if (!old) throw new RangeError(`cannot restore version ${input.to} because it does not exist`);
    return this.publish({
      content: old,
      author: input.author,
      note: input.note,
      restoredFrom: input.to,
      now: input.now,
    });
  }

  private async look(): Promise<boolean> {
    const live = await this.deps.store.liveVersion();
    if (live === this.version || live === this.unreadable) return false;
    if (live === 0) {
      // At start the runtime answers from the seed already.
      if (this.version < 0) this.version = 0;
      else this.switchTo(0, this.deps.seed);
      return true;
    }
    const stored = await this.deps.store.get(live);
    const checked = stored ? validateContent(stored.content) : undefined;
    if (!checked?.ok) {
      // A version this code cannot read (a deploy whose schema is stricter) is not answered from;
      // the content answering now stays, and the next check tries again.
      this.deps.logger.error(
        { version: live, problems: checked && !checked.ok ? checked.errors.slice(0, 5) : 'missing' },
        'knowledge version not loaded; the previous one stays',
      );
      this.unreadable = live;
      return false;
    }
    this.switchTo(live, checked.content);
    return true;
  }

  private switchTo(version: number, content: KnowledgeContent): void {
    const started = performance.now();
    this.deps.apply(content);
    const first = this.version < 0;
    this.version = version;
    this.content = content;
    this.deps.logger.info(
      { version, entries: content.entries.length, buildMs: Math.round(performance.now() - started) },
      first ? 'knowledge version loaded' : 'knowledge version switched',
    );
  }
}
