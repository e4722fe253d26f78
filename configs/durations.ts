/**
 * Durations, one grammar for the whole program: Prometheus's
 * (`model.ParseDuration`: units y, w, d, h, m, s, ms, each at most once, largest
 * first), which the stack's settings, rule files and Loki all accept, and the
 * subset Go's `time.ParseDuration` also reads (h, m, s), which Tempo needs.
 */

const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
/** Seconds per unit of PROM_DURATION's groups but the last (ms). */
const UNIT_SECONDS = [31536000, 604800, 86400, 3600, 60, 1];
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** A non-empty Prometheus duration (`0` is not one: settings want a length). */
export function isDuration(s: string): boolean {
  return s !== "" && PROM_DURATION.test(s);
}

/** True when `s` is a duration Prometheus 2.x and 3.x both parse (`model.ParseDuration`), `0` included. */
export function isPromDuration(s: string): boolean {
  return s === "0" || isDuration(s);
}

/** The numbers of each unit (y, w, d, h, m, s, ms) of a Prometheus duration; throws on an invalid one. */
function parts(s: string): number[] {
  const m = PROM_DURATION.exec(s);
  if (!m || s === "") throw new Error(`not a Prometheus duration: ${JSON.stringify(s)}`);
  return m.slice(1).map((v) => Number(v ?? 0));
}

/** Milliseconds of a Prometheus duration (`0` included); throws on an invalid one. */
export function durationMs(s: string): number {
  if (s === "0") return 0;
  return parts(s).reduce((acc, v, i) => acc + (v ? v * (UNIT_MS[i] as number) : 0), 0);
}

/** Seconds of a Prometheus duration (for comparisons and sizing); throws on an invalid one. */
export function durationSeconds(s: string): number {
  const p = parts(s);
  return UNIT_SECONDS.reduce((acc, unit, i) => acc + (p[i] as number) * unit, 0) + (p[6] as number) / 1000;
}

/** Prometheus holds a duration as int64 nanoseconds (model.Duration) and refuses longer ones ("duration out of range"). */
const MAX_DURATION_NS = (1n << 63n) - 1n;
const UNIT_NS = [31536000n, 604800n, 86400n, 3600n, 60n, 1n].map((s) => s * 10n ** 9n).concat([10n ** 6n]);

/** A valid duration Prometheus can also hold (at most about 292 years). */
export function durationInRange(s: string): boolean {
  const m = PROM_DURATION.exec(s);
  if (!m) return false;
  const total = m.slice(1).reduce((acc, v, i) => acc + BigInt(v ?? 0) * (UNIT_NS[i] as bigint), 0n);
  return total <= MAX_DURATION_NS;
}

/** A duration Go's time.ParseDuration reads as well: hours, minutes and seconds only (Tempo has no `d`). */
export function isGoDuration(s: string): boolean {
  return s !== "" && /^(\d+h)?(\d+m)?(\d+s)?$/.test(s);
}
