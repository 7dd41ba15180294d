/**
 * What `npm run bench` prints: the results table, then each target of docs/benchmarks.md
 * with the figure that meets or misses it, per scenario.
 */

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
export const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(2));

export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}
export type Summary = ReturnType<typeof summary>;

export interface LatencyResult {
  /** The rate asked for, and the one achieved. */
  rate: number;
  achievedRate: number;
  inbound: Summary;
  delivery: Summary;
  /** How busy the machine and the instances were during the phase (Linux). */
  cpu: { machine: number; instances: number } | undefined;
}

export interface BenchmarkResult {
  name: string;
  openRate: number;
  throughput: number;
  perInstance: number;
  /** The instances' CPU time per message they carried, in microseconds (Linux; NaN elsewhere). */
  cpuPerInboundUs: number;
  cpuPerDeliveryUs: number;
  /** At half the ceiling, then at BENCH_RATE when this scenario sustained it. */
  latency: LatencyResult[];
  rssMb: number[];
  unmatched: number;
}

export interface CeilingRun {
  rate: number;
  /** The `twilio` library's process CPU time per message post, in microseconds. */
  cpuPerPostUs: number;
}

/**
 * The reference the ratios are taken against: the mean of the ceiling measured before the
 * scenarios and again after them, since on a shared machine the library's own figures drift
 * within one run.
 */
export interface Ceiling extends CeilingRun {
  before: CeilingRun;
  after: CeilingRun;
}

/** The least any middleware on this stack spends per message (bench/floor.ts): its CPU, in microseconds. */
export interface Floor {
  cpuPerInboundUs: number;
  cpuPerDeliveryUs: number;
}

export function ceilingOf(before: CeilingRun, after: CeilingRun): Ceiling {
  return {
    rate: (before.rate + after.rate) / 2,
    cpuPerPostUs: (before.cpuPerPostUs + after.cpuPerPostUs) / 2,
    before,
    after,
  };
}

/** The report's line about the reference, with how far it moved during the run. */
export function ceilingLine(ceiling: Ceiling, customers: number): string {
  const run = ({ rate, cpuPerPostUs }: CeilingRun) => `${rate.toFixed(0)} messages/s at ${cpuPerPostUs.toFixed(0)} µs of the library's CPU per post`;
  const drift = Math.abs(ceiling.after.cpuPerPostUs - ceiling.before.cpuPerPostUs) / ceiling.cpuPerPostUs;
  return (
    `Ceiling (twilio library straight to the stand-in, ${customers} concurrent customers): before the scenarios ${run(ceiling.before)}, ` +
    `after them ${run(ceiling.after)}; ratios against the mean, ${run(ceiling)} (the CPU per post moved ${(drift * 100).toFixed(0)}% during the run)`
  );
}

const us = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));
const times = (value: number, base: number) => (Number.isNaN(value) || !(base > 0) ? 'n/a' : `${(value / base).toFixed(2)}×`);

/** The report's line about the floor, as ratios to the same reference as the scenarios'. */
export function floorLine(floor: Floor, ceiling: Ceiling): string {
  return (
    `Floor (fastify, the twilio library and the webhooks, no store; measured after the ceiling before the scenarios): ` +
    `${us(floor.cpuPerInboundUs)} µs per inbound message (${times(floor.cpuPerInboundUs, ceiling.cpuPerPostUs)} the library's CPU per post), ` +
    `${us(floor.cpuPerDeliveryUs)} µs per delivery (${times(floor.cpuPerDeliveryUs, ceiling.cpuPerPostUs)})`
  );
}

function tableRows(results: BenchmarkResult[], ceiling: Ceiling): string[] {
  return results.flatMap((r) =>
    r.latency.map((phase, index) => {
      const first = <T>(value: T) => (index === 0 ? value : '');
      return [
        '',
        first(r.name),
        first(r.openRate.toFixed(0)),
        first(r.throughput.toFixed(0)),
        first(r.perInstance.toFixed(0)),
        first((r.throughput / ceiling.rate).toFixed(2)),
        first(`${us(r.cpuPerInboundUs)} (${times(r.cpuPerInboundUs, ceiling.cpuPerPostUs)})`),
        first(`${us(r.cpuPerDeliveryUs)} (${times(r.cpuPerDeliveryUs, ceiling.cpuPerPostUs)})`),
        `${phase.rate} / ${phase.achievedRate.toFixed(0)}`,
        `${ms(phase.inbound.p50)} / ${ms(phase.inbound.p95)} / ${ms(phase.inbound.p99)} (n=${phase.inbound.n})`,
        `${ms(phase.delivery.p50)} / ${ms(phase.delivery.p95)} / ${ms(phase.delivery.p99)} (n=${phase.delivery.n})`,
        phase.cpu ? `${(phase.cpu.machine * 100).toFixed(0)}% / ${phase.cpu.instances.toFixed(2)}` : 'n/a',
        first(r.rssMb.map((mb) => mb.toFixed(0)).join(', ')),
        '',
      ]
        .join(' | ')
        .trim();
    }),
  );
}

/** One line per target and scenario: the figure, and whether it holds. */
export function targetLines(results: BenchmarkResult[], ceiling: Ceiling, floor: Floor): string[] {
  const check = (holds: boolean) => (holds ? 'holds' : 'MISSED');
  return results.flatMap((r) => {
    const half = r.latency[0];
    const inboundRatio = r.cpuPerInboundUs / ceiling.cpuPerPostUs;
    const deliveryRatio = r.cpuPerDeliveryUs / ceiling.cpuPerPostUs;
    return [
      `- ${r.name}:`,
      `  - CPU per inbound message ≤ 2× the library's per post: ${times(r.cpuPerInboundUs, ceiling.cpuPerPostUs)}, ${check(inboundRatio <= 2)} (the floor's ${times(floor.cpuPerInboundUs, ceiling.cpuPerPostUs)}; this scenario ${times(r.cpuPerInboundUs, floor.cpuPerInboundUs)} the floor)`,
      `  - CPU per webhook→delivery ≤ 1.5× the library's per post: ${times(r.cpuPerDeliveryUs, ceiling.cpuPerPostUs)}, ${check(deliveryRatio <= 1.5)} (the floor's ${times(floor.cpuPerDeliveryUs, ceiling.cpuPerPostUs)}; this scenario ${times(r.cpuPerDeliveryUs, floor.cpuPerDeliveryUs)} the floor)`,
      half
        ? `  - p99 ≤ 10 ms at half the ceiling: inbound ${ms(half.inbound.p99)} ms, ${check(half.inbound.p99 <= 10)}; webhook→delivery ${ms(half.delivery.p99)} ms, ${check(half.delivery.p99 <= 10)}`
        : '  - p99 at half the ceiling: not measured',
      `  - sustained inbound ≥ 0.7 of the ceiling: ${(r.throughput / ceiling.rate).toFixed(2)}, ${check(r.throughput / ceiling.rate >= 0.7)}`,
      `  - peak RSS ≤ 150 MB with the conversations open: ${r.rssMb.map((mb) => mb.toFixed(0)).join(', ')} MB, ${check(r.rssMb.every((mb) => mb <= 150))}`,
    ];
  });
}

export function formatResults(results: BenchmarkResult[], ceiling: Ceiling, floor: Floor, failures: string[]): string[] {
  return [
    '| Scenario | Conversations opened/s | Sustained inbound msg/s | per instance | of ceiling | CPU per inbound msg, µs (× library) | CPU per delivery, µs (× library) | Latency phase (asked / achieved msg/s) | Inbound→Twilio p50 / p95 / p99 (ms) | Webhook→delivery p50 / p95 / p99 (ms) | Machine busy / cores the instances used, in the phase | Peak RSS per instance (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...tableRows(results, ceiling),
    ...failures.map((failure) => `| ${failure.split(':')[0]} | failed: ${failure.slice(failure.indexOf(':') + 2)} |`),
    '',
    'Targets:',
    ...targetLines(results, ceiling, floor),
  ];
}
