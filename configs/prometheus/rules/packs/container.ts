/**
 * Container pack (seed 002): cAdvisor memory against the limit, crash loops.
 *
 * One meaning per alert on both platforms; only the source differs:
 * - Docker: standalone cAdvisor labels a container by `name` (the container
 *   name); series with an empty `name` are cgroups, not containers.
 * - Kubernetes: the kubelet's cAdvisor (job `cadvisor`, node discovery at
 *   `/metrics/cadvisor`) labels by `namespace`/`pod`/`container` and, with
 *   containerd, leaves `name` empty, so the Docker expressions would silently
 *   match nothing. Alerts still carry `name` (copied from `container`, see
 *   `withContainerName`) so silences and runbooks read the same.
 */
import { JOBS } from "../../../topology";
import type { AlertRule, RuleFileSpec } from "../types";
import { K8S_CONTAINER_MATCHERS, L, num, str, V, withContainerName, type PackContext, rulesPath } from "../builder";

export function containerPack({ t, o, alert }: PackContext): RuleFileSpec[] {
  const k8s = o.platform?.containerMetrics === "kubelet";
  // Containers without a limit report 0 (cAdvisor maps "unlimited" cgroups to 0 on
  // both platforms); `> 0` drops them instead of dividing by zero.
  //
  // Kubernetes reads the limit from the same kubelet cAdvisor scrape as the usage
  // (not kube-state-metrics' kube_pod_container_resource_limits): both series have
  // identical labels, so the division matches one-to-one with no `on`/`group_left`
  // join, it is the cgroup limit the kernel OOM-kills at, and the alert does not
  // depend on a second exporter being up. `max by` collapses the duplicate series a
  // container can briefly have (the old and the new cgroup around a restart).
  const cadvisor = k8s ? `{job=${str(JOBS.cadvisor)}, ${K8S_CONTAINER_MATCHERS}}` : '{name!=""}';
  const ratio = `100 * max by (${k8s ? "instance, namespace, pod, container" : "instance, name"}) (container_memory_working_set_bytes${cadvisor} / (container_spec_memory_limit_bytes${cadvisor} > 0))`;
  const memRatio = k8s ? withContainerName(ratio) : ratio;
  const where = k8s ? `Container ${L("name")} of pod ${L("namespace")}/${L("pod")}` : `Container ${L("name")}`;
  const memory = (severity: "warning" | "critical", percent: number, forDur: string): AlertRule =>
    alert({
      name: "ContainerMemoryHigh",
      expr: `${memRatio} > ${num(percent)}`,
      for: forDur,
      severity,
      component: "infra",
      summary: `Container near its memory limit: ${L("name")}`,
      description: `${where} uses ${V.f1}% of its memory limit (threshold ${num(percent)}% for ${forDur}); at 100% it is OOM-killed.`,
    });
  // Restarts: Docker restarts a container in place, so its cAdvisor start time
  // changes. The kubelet restarts by creating a new container (new cgroup, new
  // cAdvisor series whose start time never changes), so on Kubernetes the source
  // is kube-state-metrics' restart counter, as for ContainerRestarted.
  const restarts = k8s
    ? withContainerName(
        `sum by (namespace, pod, container) (changes(kube_pod_container_status_restarts_total{job=${str(JOBS.kubeStateMetrics)}}[${t.containerRestartLoopWindow}]))`,
      )
    : `sum by (instance, name) (changes(container_start_time_seconds{name!=""}[${t.containerRestartLoopWindow}]))`;
  return [
    {
      pack: "container",
      path: rulesPath("container"),
      groups: [
        {
          name: "container",
          rules: [
            memory("warning", t.containerMemoryWarningPercent, t.containerMemoryWarningFor),
            memory("critical", t.containerMemoryCriticalPercent, t.containerMemoryCriticalFor),
            alert({
              name: "ContainerRestartLoop",
              expr: `${restarts} >= ${num(t.containerRestartLoopCount)}`,
              severity: "warning",
              component: "infra",
              summary: `Container crash-looping: ${L("name")}`,
              description: `${where} restarted ${V.int} times in the last ${t.containerRestartLoopWindow} (threshold ${num(t.containerRestartLoopCount)}).`,
            }),
          ],
        },
      ],
    },
  ];
}
