/**
 * SLO pack (seed 003): per SLO, error-ratio recording rules over the burn-rate
 * windows and the compliance window, the remaining error budget, and
 * multi-window multi-burn-rate alerts: a fast burn pages (critical), a slow
 * burn opens a ticket (warning). Defaults 10x / 2x are seed 003's; each SLO
 * may override them (`burnRates`).
 *
 * SLI kinds (seed 003's): `availability` is time-based, the share of
 * blackbox probe time the service's health endpoints answered (seed 000's
 * availability signal); `errorRate` is request-based, non-5xx responses;
 * `latency` is requests under a threshold; `processingTime` and `queueLag`
 * (seed 003's worker SLOs) are jobs processed, or picked up after queueing,
 * under a threshold.
 *
 * Threshold SLIs read the bucket of their histogram (THRESHOLD_HISTOGRAMS)
 * whose upper bound equals the threshold. Prometheus 3 normalises `le="2"` to `"2.0"`, so
 * the bucket is matched by a regex that accepts both spellings
 * (`le=~"2(\\.0)?"`); the threshold must be one of the histogram's bucket
 * boundaries, otherwise the SLI has no data and its alerts cannot fire.
 */
import type { RecordingRule, RuleFileSpec, SloSpec, AlertRule } from "../types";
import { L, num, record, str, V, type PackContext, rulesPath } from "../builder";
import { durationMs, isPromDuration } from "../../../durations";

/** Window every SLO's long-window ratio is averaged from. */
const BASE_WINDOW = "5m";

export const SLO_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * SLI kinds (seed 003: API availability, latency under a threshold, error
 * rate; worker processing_time and queue_lag).
 */
export const SLI_KINDS: readonly SloSpec["sli"]["kind"][] = ["availability", "latency", "errorRate", "processingTime", "queueLag"];

type ThresholdKind = "latency" | "processingTime" | "queueLag";

/**
 * What the threshold kinds count: events in a histogram, good when at or
 * under the threshold's bucket. The selector narrows the histogram to the
 * events the SLI is about.
 */
export const THRESHOLD_HISTOGRAMS: Readonly<Record<ThresholdKind, { readonly metric: string; readonly selector: string; readonly events: string }>> = {
  latency: { metric: "http_request_duration_seconds", selector: "", events: "HTTP requests complete" },
  processingTime: { metric: "worker_job_latency_seconds", selector: "", events: "jobs are processed" },
  queueLag: { metric: "worker_job_stage_latency_seconds", selector: ',operation="queue_wait"', events: "jobs leave the queue" },
};

/** True for the kinds that need `latencyThresholdSeconds`. */
export function isThresholdKind(kind: string): kind is ThresholdKind {
  return kind in THRESHOLD_HISTOGRAMS;
}


/** Recording-rule name of an SLO's error ratio over `window`. */
export function errorRatioName(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/**
 * Regex matching a bucket's `le` label in both Prometheus 2 (`"2"`) and 3
 * (`"2.0"`) spellings, as the inside of a PromQL string literal.
 */
export function leRegex(seconds: number): string {
  const s = num(seconds);
  const escaped = s.replace(/\./g, "\\\\.");
  return Number.isInteger(seconds) ? `${escaped}(\\\\.0)?` : escaped;
}

/** Problems with SLO specs, keyed `slos[i].field`. Empty when valid. */
export function validateSlos(slos: readonly SloSpec[], prefix = "slos"): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  slos.forEach((s, i) => {
    const p = `${prefix}[${i}]`;
    if (typeof s.name !== "string" || !SLO_NAME_RE.test(s.name)) {
      problems.push(`${p}.name: ${JSON.stringify(s.name)} must match ${SLO_NAME_RE.source} (lower-case letters, digits, _ and -)`);
    } else if (seen.has(s.name)) {
      problems.push(`${p}.name: duplicate SLO name ${JSON.stringify(s.name)}`);
    } else {
      seen.add(s.name);
    }
    if (typeof s.objective !== "number" || !(s.objective > 0 && s.objective < 100)) {
      problems.push(`${p}.objective: ${JSON.stringify(s.objective)} must be a percentage strictly between 0 and 100, e.g. 99.9`);
    }
    if (typeof s.window !== "string" || !isPromDuration(s.window) || durationMs(s.window) === 0) {
      problems.push(`${p}.window: ${JSON.stringify(s.window)} must be a Prometheus duration such as "30d"`);
    }
    const sli = s.sli as Partial<SloSpec["sli"]> | undefined;
    if (!sli || !SLI_KINDS.includes(sli.kind as SloSpec["sli"]["kind"])) {
      problems.push(`${p}.sli.kind: ${JSON.stringify(sli?.kind)} must be one of ${SLI_KINDS.map((k) => JSON.stringify(k)).join(", ")}`);
    }
    if (!sli || typeof sli.job !== "string" || sli.job === "") {
      problems.push(`${p}.sli.job: must name the Prometheus job (or, for availability, the probe) that defines the SLI`);
    }
    const budget = typeof s.objective === "number" ? (100 - s.objective) / 100 : NaN;
    for (const tier of ["critical", "warning"] as const) {
      const rate = s.burnRates?.[tier];
      if (rate === undefined) continue;
      if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
        problems.push(`${p}.burnRates.${tier}: ${JSON.stringify(rate)} must be a positive multiple such as ${tier === "critical" ? 10 : 2}`);
      } else if (budget > 0 && rate * budget >= 1) {
        // The error ratio cannot exceed 1, so this alert could never fire.
        problems.push(`${p}.burnRates.${tier}: ${rate}x a ${num(budget * 100)}% error budget needs an error ratio above ${num(rate * budget * 100)}%, which is impossible; lower it below ${num(1 / budget)}`);
      }
    }
    const c = s.burnRates?.critical;
    const w = s.burnRates?.warning;
    if (typeof c === "number" && typeof w === "number" && c <= w) {
      problems.push(`${p}.burnRates.critical: ${c} must be above burnRates.warning ${w} (fast burn pages, slow burn opens a ticket)`);
    }
    if (sli?.kind !== undefined && isThresholdKind(sli.kind)) {
      const t = sli.latencyThresholdSeconds;
      if (typeof t !== "number" || !(t > 0) || !Number.isFinite(t) || /e/i.test(String(t))) {
        problems.push(
          `${p}.sli.latencyThresholdSeconds: ${JSON.stringify(t)} must be a positive number of seconds equal to a bucket boundary of ${THRESHOLD_HISTOGRAMS[sli.kind].metric} (e.g. 0.5, 1, 2)`,
        );
      }
    } else if (sli?.latencyThresholdSeconds !== undefined) {
      problems.push(`${p}.sli.latencyThresholdSeconds: only valid for ${Object.keys(THRESHOLD_HISTOGRAMS).join(", ")} SLIs`);
    }
  });
  return problems;
}

/** Error ratio (bad / all events) of one SLO over `w`. */
function errorRatioExpr(s: SloSpec, w: string): string {
  const job = `job=${str(s.sli.job)}`;
  if (s.sli.kind === "availability") {
    // Share of probe time the health endpoints failed, over all of the service's health paths.
    // The `probe` label is set only on blackbox jobs (configs/prometheus/prometheus.ts), whatever the module.
    return `1 - avg(avg_over_time(probe_success{probe=${str(s.sli.job)}}[${w}]))`;
  }
  if (s.sli.kind === "errorRate") {
    return [
      `(sum(rate(http_requests_total{${job},status=~"5.."}[${w}])) or vector(0))`,
      `/ sum(rate(http_requests_total{${job}}[${w}]))`,
    ].join("\n");
  }
  const le = leRegex(s.sli.latencyThresholdSeconds as number);
  const { metric, selector } = THRESHOLD_HISTOGRAMS[s.sli.kind];
  const all = `sum(rate(${metric}_count{${job}${selector}}[${w}]))`;
  return [`(${all} - sum(rate(${metric}_bucket{${job}${selector},le=~"${le}"}[${w}])))`, `/ ${all}`].join("\n");
}

function burnWindows(ctx: PackContext): string[] {
  const t = ctx.t;
  const all = [BASE_WINDOW, t.sloFastBurnShortWindow, t.sloSlowBurnShortWindow, t.sloFastBurnLongWindow, t.sloSlowBurnLongWindow];
  return [...new Set(all)].sort((a, b) => durationMs(a) - durationMs(b));
}

function sloDescription(s: SloSpec): string {
  if (s.sli.kind === "availability") return `${num(s.objective)}% of the time the health probes of ${s.sli.job} succeed, over ${s.window}`;
  const what =
    s.sli.kind === "errorRate"
      ? "of HTTP requests succeed (non-5xx)"
      : `of ${THRESHOLD_HISTOGRAMS[s.sli.kind].events} within ${num(s.sli.latencyThresholdSeconds as number)}s`;
  return `${num(s.objective)}% ${what} for job ${s.sli.job} over ${s.window}`;
}

export function sloPack(ctx: PackContext): RuleFileSpec[] {
  const slos = ctx.o.slos ?? [];
  if (slos.length === 0) return [];
  const { t, alert } = ctx;
  const windows = burnWindows(ctx);
  const recording: RecordingRule[] = [];
  const alerts: AlertRule[] = [];

  for (const s of slos) {
    const sel = `{slo=${str(s.name)}}`;
    const budget = num((100 - s.objective) / 100);
    for (const w of windows) recording.push(record(errorRatioName(w), errorRatioExpr(s, w), { slo: s.name }));
    if (!windows.includes(s.window)) {
      // Averaging the 5m ratio is far cheaper than a rate over 30 days at every evaluation.
      recording.push(record(errorRatioName(s.window), `avg_over_time(${errorRatioName(BASE_WINDOW)}${sel}[${s.window}])`, { slo: s.name }));
    }
    recording.push(record("slo:objective:ratio", `vector(${num(s.objective / 100)})`, { slo: s.name }));
    recording.push(record("slo:error_budget:remaining_ratio", `1 - ${errorRatioName(s.window)}${sel} / ${budget}`, { slo: s.name }));

    const burn = (name: string, severity: "critical" | "warning", rate: number, long: string, short: string, forDur: string, action: string): AlertRule =>
      alert({
        name,
        expr: `${errorRatioName(long)}${sel} / ${budget} > ${num(rate)}\nand on (slo)\n${errorRatioName(short)}${sel} / ${budget} > ${num(rate)}`,
        for: forDur,
        severity,
        component: "slo",
        labels: { slo: s.name },
        summary: `SLO ${L("slo")} is burning its error budget ${severity === "critical" ? "fast" : "steadily"}`,
        description: `SLO ${L("slo")} (${sloDescription(s)}) burned error budget at ${V.f1}x the sustainable rate over the last ${long}, and is still above ${num(rate)}x over ${short}. ${action}`,
      });
    const fast = s.burnRates?.critical ?? t.sloFastBurnRate;
    const slow = s.burnRates?.warning ?? t.sloSlowBurnRate;
    alerts.push(
      burn(
        "SLOErrorBudgetFastBurn",
        "critical",
        fast,
        t.sloFastBurnLongWindow,
        t.sloFastBurnShortWindow,
        t.sloFastBurnFor,
        `At ${num(fast)}x the whole ${s.window} budget lasts ${humanMs(durationMs(s.window) / fast)}.`,
      ),
      burn(
        "SLOErrorBudgetSlowBurn",
        "warning",
        slow,
        t.sloSlowBurnLongWindow,
        t.sloSlowBurnShortWindow,
        t.sloSlowBurnFor,
        `At ${num(slow)}x the whole ${s.window} budget lasts ${humanMs(durationMs(s.window) / slow)}.`,
      ),
    );
  }

  return [
    {
      pack: "slo",
      path: rulesPath("slo"),
      groups: [
        { name: "slo-recording", interval: ctx.o.evaluationInterval, rules: recording },
        { name: "slo-alerts", rules: alerts },
      ],
    },
  ];
}

/** `72h` -> "3d", `90m` -> "1h30m": for prose in annotations. */
function humanMs(ms: number): string {
  const units: [string, number][] = [["d", 86400e3], ["h", 3600e3], ["m", 60e3], ["s", 1e3]];
  let rest = Math.round(ms / 1e3) * 1e3;
  let out = "";
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out || "0s";
}
