/**
 * What preview and render say about an estimate: one table (markdown for
 * sizing.md and the preview log, JSON for sizing.json), the warnings for thin
 * headroom, and the problems that refuse a config whose limits cannot hold
 * its own load at all.
 */
import { toJson } from "../configs/files";
import type { ConfigProblem } from "../settings/problems";
import { HEADROOM_WARNING } from "./figures";
import { formatBytes, headroom, SizingEstimate, SizingRow, valueThatFits } from "./model";

function unitOf(key: string): string {
  return key.endsWith("memoryLimitMb") ? "MiB" : "GiB";
}

function configured(row: SizingRow): string {
  if (row.configuredBytes !== undefined) return formatBytes(row.configuredBytes);
  return row.resource === "disk" ? "host disk (Docker volume)" : "unlimited";
}

/** The estimate as the markdown table preview prints and render writes to sizing.md. */
export function sizingMarkdown(e: SizingEstimate): string {
  const rows = e.rows.map((r) => {
    const room = headroom(r);
    const expected = r.expectedBytes === undefined ? `not estimated (set ${r.key})` : formatBytes(r.expectedBytes);
    return `| ${r.store} | ${r.resource} | ${expected} | ${configured(r)} | ${room === undefined ? "—" : `${Math.round(room * 100)} %`} | ${r.basis} |`;
  });
  const jobs = e.jobs.map((j) => `| ${j.job} | ${Math.round(j.series)} | ${j.scrapeIntervalSeconds} s | ${j.basis} |`);
  const warnings = sizingWarnings(e);
  return [
    "# Sizing estimate",
    "",
    `${Math.round(e.series)} active series, ${Math.round(e.samplesPerSecond)} samples/s. Model and calibration: README, \"Sizing\".`,
    "",
    "| store | resource | expected | configured | headroom | basis |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...(warnings.length > 0 ? ["Warnings (under 30 % headroom):", "", ...warnings.map((w) => `- ${w.key}: ${w.message}`), ""] : []),
    "| job | series | scrape interval | basis |",
    "| --- | --- | --- | --- |",
    ...jobs,
    "",
  ].join("\n");
}

/** The estimate as data, for sizing.json. */
export function sizingJson(e: SizingEstimate): string {
  return toJson({
    series: Math.round(e.series),
    samplesPerSecond: Math.round(e.samplesPerSecond),
    stores: e.rows.map((r) => ({
      store: r.store,
      resource: r.resource,
      expectedBytes: r.expectedBytes === undefined ? null : Math.round(r.expectedBytes),
      configuredBytes: r.configuredBytes === undefined ? null : Math.round(r.configuredBytes),
      headroom: headroom(r) ?? null,
      key: r.key,
      basis: r.basis,
    })),
    jobs: e.jobs.map((j) => ({ ...j, series: Math.round(j.series) })),
  });
}

/** Limits or volumes that cannot hold the estimate at all: the config is refused, naming the key and a value that fits. */
export function sizingProblems(e: SizingEstimate): ConfigProblem[] {
  return e.rows.flatMap((r) => {
    const room = headroom(r);
    if (room === undefined || room >= 0) return [];
    const fits = valueThatFits(r);
    const what = r.store === "prometheus" && r.resource === "disk" ? "85% of the volume (size-based retention would silently delete data younger than prometheus.retention)" : `the ${r.resource} limit`;
    return [
      {
        key: r.key,
        message: `${r.store} needs about ${formatBytes(r.expectedBytes!)} of ${r.resource} (${r.basis}), more than ${what} holds (${formatBytes(r.configuredBytes!)}); set it to at least ${fits} ${unitOf(r.key)}, or reduce the load`,
      },
    ];
  });
}

/** Rows that hold the estimate with less than 30 % to spare: a warning at preview and render. */
export function sizingWarnings(e: SizingEstimate): ConfigProblem[] {
  return e.rows.flatMap((r) => {
    const room = headroom(r);
    if (room === undefined || room < 0 || room >= HEADROOM_WARNING) return [];
    return [
      {
        key: r.key,
        message: `${r.store} ${r.resource} headroom is ${Math.round(room * 100)} % (needs about ${formatBytes(r.expectedBytes!)} of ${formatBytes(r.configuredBytes!)}); ${valueThatFits(r)} ${unitOf(r.key)} would leave 30 %`,
      },
    ];
  });
}
