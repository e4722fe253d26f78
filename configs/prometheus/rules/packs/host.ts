/**
 * Host pack (seeds 002, 003): node-exporter CPU, memory and disk space, completed
 * with the node-mixin's alerts (prometheus/node_exporter docs/node-mixin/alerts),
 * their names, expressions, severities and `for` durations.
 *
 * Where a seed alert already covers a node-mixin condition it keeps the seed's
 * name and no twin is added: NodeFilesystemAlmostOutOfSpace (5% / 3% free) is
 * HostDiskLow (tutordex pack, 90% used) and HostDiskSpaceLow (15% / 10% free);
 * NodeMemoryHighUtilization is HostMemoryHigh; NodeCPUHighUsage is HostCpuHigh.
 */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, type AlertSpec, type PackContext, rulesPath } from "../builder";
import { PSEUDO_FS } from "./tutordex";

export function hostPack({ t, alert }: PackContext): RuleFileSpec[] {
  const memUsed = "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)";
  const diskFree = `100 * node_filesystem_avail_bytes{${PSEUDO_FS}} / node_filesystem_size_bytes{${PSEUDO_FS}}`;

  const memory = (severity: "warning" | "critical", percent: number, forDur: string): AlertRule =>
    alert({
      name: "HostMemoryHigh",
      expr: `${memUsed} > ${num(percent)}`,
      for: forDur,
      severity,
      component: "infra",
      summary: `Host memory high: ${L("instance")}`,
      description: `${L("instance")} uses ${V.f1}% of its memory (threshold ${num(percent)}% for ${forDur}).`,
    });
  const disk = (severity: "warning" | "critical", percent: number, forDur: string): AlertRule =>
    alert({
      name: "HostDiskSpaceLow",
      expr: `${diskFree} < ${num(percent)}`,
      for: forDur,
      severity,
      component: "infra",
      summary: `Disk space low: ${L("mountpoint")} on ${L("instance")}`,
      description: `Filesystem ${L("mountpoint")} (${L("device")}) on ${L("instance")} has ${V.f1}% free (threshold ${num(percent)}% for ${forDur}).`,
    });

  return [
    {
      pack: "host",
      path: rulesPath("host"),
      groups: [
        {
          name: "host",
          rules: [
            alert({
              name: "HostCpuHigh",
              expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${num(t.hostCpuPercent)}`,
              for: t.hostCpuFor,
              severity: "warning",
              component: "infra",
              summary: `Host CPU high: ${L("instance")}`,
              description: `${L("instance")} CPU is ${V.f1}% busy (threshold ${num(t.hostCpuPercent)}% for ${t.hostCpuFor}).`,
            }),
            memory("warning", t.hostMemoryWarningPercent, t.hostMemoryWarningFor),
            memory("critical", t.hostMemoryCriticalPercent, t.hostMemoryCriticalFor),
            disk("warning", t.hostDiskFreeWarningPercent, t.hostDiskFreeWarningFor),
            disk("critical", t.hostDiskFreeCriticalPercent, t.hostDiskFreeCriticalFor),
          ],
        },
        { name: "host-node-mixin", rules: nodeMixinAlerts(alert) },
      ],
    },
  ];
}

/** Filesystems the node-mixin watches: real ones with a mountpoint. */
const FS = `${PSEUDO_FS}, mountpoint!=""`;
/** A read-only filesystem cannot fill up (an ISO, a squashed image): the node-mixin leaves it out. */
const WRITABLE = ["and", `  node_filesystem_readonly{${FS}} == 0`];

function nodeMixinAlerts(alert: (s: AlertSpec) => AlertRule): AlertRule[] {
  const where = `${L("mountpoint")} on ${L("instance")}`;
  // Free share below `percent` and, at the rate of the last 6h, empty within `hours`.
  const fillingUp = (name: string, what: "space" | "inodes", severity: "warning" | "critical", percent: number, hours: number): AlertRule => {
    const [free, size] = what === "space" ? ["node_filesystem_avail_bytes", "node_filesystem_size_bytes"] : ["node_filesystem_files_free", "node_filesystem_files"];
    return alert({
      name,
      expr: [
        "(",
        `  ${free}{${FS}} / ${size}{${FS}} * 100 < ${percent}`,
        "and",
        `  predict_linear(${free}{${FS}}[6h], ${hours} * 60 * 60) < 0`,
        ...WRITABLE,
        ")",
      ].join("\n"),
      for: "1h",
      severity,
      component: "infra",
      summary: `Filesystem ${what} predicted to run out within ${hours}h: ${where}`,
      description: `Filesystem ${where} has ${V.f1}% ${what} left and, at the rate of the last 6h, runs out within ${hours} hours.`,
    });
  };
  const outOfFiles = (severity: "warning" | "critical", percent: number): AlertRule =>
    alert({
      name: "NodeFilesystemAlmostOutOfFiles",
      expr: [
        "(",
        `  node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100 < ${percent}`,
        ...WRITABLE,
        ")",
      ].join("\n"),
      for: "1h",
      severity,
      component: "infra",
      summary: `Filesystem almost out of inodes: ${where}`,
      description: `Filesystem ${where} has ${V.f1}% inodes left (threshold ${percent}%); creating files fails at 0 whatever the free space.`,
    });
  const netErrs = (name: string, dir: "receive" | "transmit"): AlertRule =>
    alert({
      name,
      expr: `rate(node_network_${dir}_errs_total[2m]) / rate(node_network_${dir}_packets_total[2m]) > 0.01`,
      for: "1h",
      severity: "warning",
      component: "infra",
      summary: `Network interface reports many ${dir} errors: ${L("device")} on ${L("instance")}`,
      description: `${L("device")} on ${L("instance")} had ${V.pct} ${dir} errors over the last two minutes, for an hour.`,
    });
  const fd = (severity: "warning" | "critical", percent: number): AlertRule =>
    alert({
      name: "NodeFileDescriptorLimit",
      expr: `node_filefd_allocated * 100 / node_filefd_maximum > ${percent}`,
      for: "15m",
      severity,
      component: "infra",
      summary: `Kernel file descriptors almost exhausted: ${L("instance")}`,
      description: `${L("instance")} uses ${V.f1}% of the kernel's file descriptors (threshold ${percent}%); at 100% no process can open a file or socket.`,
    });
  return [
    fillingUp("NodeFilesystemSpaceFillingUp", "space", "warning", 40, 24),
    fillingUp("NodeFilesystemSpaceFillingUp", "space", "critical", 20, 4),
    fillingUp("NodeFilesystemFilesFillingUp", "inodes", "warning", 40, 24),
    fillingUp("NodeFilesystemFilesFillingUp", "inodes", "critical", 20, 4),
    outOfFiles("warning", 5),
    outOfFiles("critical", 3),
    netErrs("NodeNetworkReceiveErrs", "receive"),
    netErrs("NodeNetworkTransmitErrs", "transmit"),
    alert({
      name: "NodeClockSkewDetected",
      // Offset beyond 50ms and not shrinking: NTP is not pulling the clock back.
      expr: [
        "(",
        "  node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0",
        ")",
        "or",
        "(",
        "  node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0",
        ")",
      ].join("\n"),
      for: "10m",
      severity: "warning",
      component: "infra",
      summary: `Clock skew detected: ${L("instance")}`,
      description: `The clock of ${L("instance")} is off by ${V.f2}s and not converging; check NTP (timestamps, TLS and token lifetimes suffer).`,
    }),
    alert({
      name: "NodeClockNotSynchronising",
      expr: "min_over_time(node_timex_sync_status[5m]) == 0\nand\nnode_timex_maxerror_seconds >= 16",
      for: "10m",
      severity: "warning",
      component: "infra",
      summary: `Clock not synchronising: ${L("instance")}`,
      description: `The clock of ${L("instance")} is not synchronised to NTP (maximum error 16s or more).`,
    }),
    alert({
      name: "NodeMemoryMajorPagesFaults",
      expr: "rate(node_vmstat_pgmajfault[5m]) > 500",
      for: "15m",
      severity: "warning",
      component: "infra",
      summary: `Memory major page faults high: ${L("instance")}`,
      description: `${L("instance")} has ${V.f1} major page faults/s: it is reading memory back from disk (memory pressure or thrashing).`,
    }),
    fd("warning", 70),
    fd("critical", 90),
  ];
}
