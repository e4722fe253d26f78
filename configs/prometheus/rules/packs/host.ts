/** Host pack (seeds 002, 003): node-exporter CPU, memory and disk space. */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, type PackContext } from "../builder";
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
      path: "prometheus/rules/host.rules.yml",
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
      ],
    },
  ];
}
