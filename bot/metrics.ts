import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { within } from './within.ts';

/** What the bot counts. */
export interface MetricEvents {
  turn(channel: string, seconds: number): void;
  /** A turn that failed (the user got the apology). */
  turnError(channel: string): void;
  outcome(outcome: string): void;
  zaloApiError(code: number | string): void;
  zaloTokenRefresh(): void;
  /** A Zalo delivery answered 200 and not processed (bad signature, another app, a timestamp out of the window). */
  zaloRejected(reason: string): void;
  unanswered(): void;
}

/** One counted event, as recordingMetrics keeps it. */
export type MetricEvent = { [K in keyof MetricEvents]: [K, ...Parameters<MetricEvents[K]>] }[keyof MetricEvents];

/** Metric events recorded into a list (benchmarks and tests that count without Prometheus). */
export function recordingMetrics(events: MetricEvent[]): MetricEvents {
  return {
    turn: (channel, seconds) => events.push(['turn', channel, seconds]),
    turnError: (channel) => events.push(['turnError', channel]),
    outcome: (outcome) => events.push(['outcome', outcome]),
    zaloApiError: (code) => events.push(['zaloApiError', code]),
    zaloTokenRefresh: () => events.push(['zaloTokenRefresh']),
    zaloRejected: (reason) => events.push(['zaloRejected', reason]),
    unanswered: () => events.push(['unanswered']),
  };
}

/** The main thread's metrics; /metrics exposes them in Prometheus text format. */
export interface Metrics extends MetricEvents {
  registry: Registry;
  /** Counts registrations by status with `fn` whenever /metrics is read (kc_registrations). */
  countRegistrations(fn: () => Promise<Record<string, number>>): void;
  /** Asks `probe` whenever /metrics is read whether the store answers and accepts writes (kc_store_reachable). */
  probeStore(probe: () => Promise<boolean>): void;
  /** Counts the Zalo replies waiting in the outbox with `fn` whenever /metrics is read (kc_zalo_outbox_pending). */
  countZaloOutbox(fn: () => Promise<number>): void;
}

/**
 * How long a scrape waits for the store's count: one that does not answer (or refuses) is
 * reported as unreachable, and every other figure is still given, when they matter most.
 */
export const STORE_COUNT_TIMEOUT_MS = 2000;

/** A fresh registry with the process metrics and the bot's own. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const turns = new Counter({
    name: 'kc_turns_total',
    help: 'Turns handled, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'kc_turn_duration_seconds',
    help: 'Turn latency, by channel',
    labelNames: ['channel'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const turnErrors = new Counter({
    name: 'kc_turn_errors_total',
    help: 'Turns that failed (the user was sent an apology), by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'kc_answer_outcomes_total',
    help: 'Answers by outcome (answered, clarified, fell-back)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const zaloErrors = new Counter({
    name: 'kc_zalo_api_errors_total',
    help: 'Zalo API errors, by code',
    labelNames: ['code'],
    registers: [registry],
  });
  const refreshes = new Counter({
    name: 'kc_zalo_token_refreshes_total',
    help: 'Zalo access token refreshes',
    registers: [registry],
  });
  const zaloRejected = new Counter({
    name: 'kc_zalo_rejected_total',
    help: 'Zalo deliveries answered 200 but not processed, by reason (signature, app-id, timestamp, malformed)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const unanswered = new Counter({
    name: 'kc_unanswered_questions_total',
    help: 'Questions recorded as unanswered',
    registers: [registry],
  });
  return {
    registry,
    turn: (channel, seconds) => {
      turns.inc({ channel });
      latency.observe({ channel }, seconds);
    },
    turnError: (channel) => turnErrors.inc({ channel }),
    outcome: (o) => outcomes.inc({ outcome: o }),
    zaloApiError: (code) => zaloErrors.inc({ code: String(code) }),
    zaloTokenRefresh: () => refreshes.inc(),
    zaloRejected: (reason) => zaloRejected.inc({ reason }),
    unanswered: () => unanswered.inc(),
    countZaloOutbox: (fn) => {
      new Gauge({
        name: 'kc_zalo_outbox_pending',
        help: 'Zalo replies waiting in the outbox (absent while the store is unreachable); a queue that grows means the quota or Zalo holds them back',
        registers: [registry],
        async collect() {
          const n = await within(fn(), STORE_COUNT_TIMEOUT_MS, 'counting the Zalo outbox').catch(() => undefined);
          this.reset();
          if (n !== undefined) this.set(n);
        },
      });
    },
    countRegistrations: (fn) => {
      // One count per scrape, shared by both gauges (prom-client collects them concurrently).
      let counting: Promise<Record<string, number> | undefined> | undefined;
      const count = () =>
        (counting ??= within(fn(), STORE_COUNT_TIMEOUT_MS, 'counting registrations')
          .catch(() => undefined)
          .finally(() => (counting = undefined)));
      new Gauge({
        name: 'kc_registrations',
        help: 'Registrations in the store, by status (absent while the store is unreachable)',
        labelNames: ['status'],
        registers: [registry],
        async collect() {
          const counts = await count();
          this.reset();
          for (const [status, n] of Object.entries(counts ?? {})) this.set({ status }, n);
        },
      });
    },
    probeStore: (probe) => {
      new Gauge({
        name: 'kc_store_reachable',
        help: 'Whether the store answered the last scrape in time and accepted a write (1) or not (0)',
        registers: [registry],
        async collect() {
          const ok = await within(probe(), STORE_COUNT_TIMEOUT_MS, 'probing the store').catch(() => false);
          this.set(ok ? 1 : 0);
        },
      });
    },
  };
}
