/**
 * Kubernetes pack: workloads, nodes, volumes, kubelets and the API server,
 * with kubernetes-mixin's alert names, expressions, severities and `for`
 * durations (kubernetes-monitoring/kubernetes-mixin, alerts/*.libsonnet).
 * Renders only where it applies: nothing on Docker.
 *
 * Selectors and the cluster label come from `KubernetesRuleOptions` (the
 * mixin's `config.libsonnet`), so the file serves any cluster. Deviations
 * from the mixin, each for this stack's inhibition and scope:
 * - pod-level alerts (KubePodCrashLooping, KubePodNotReady, KubeContainerWaiting,
 *   CPUThrottlingHigh) carry the pod's `node` (from `kube_pod_info`), so a
 *   node that is NotReady or unreachable mutes the alerts of its pods;
 * - KubeletDown is per node (a node whose kubelet target is not up) instead
 *   of "no kubelet at all", and names that node;
 * - KubeAPIErrorBudgetBurn burns a 99% availability SLO on 5xx responses of
 *   read and write verbs; the mixin also counts slow requests, whose
 *   latency buckets Prometheus 3 renames (`le` normalisation).
 */
import { JOBS } from "../../../topology";
import type { AlertRule, KubernetesRuleOptions, RecordingRule, RuleFileSpec } from "../types";
import { L, num, record, str, V, type PackContext, rulesPath } from "../builder";

export const DEFAULT_KUBERNETES_RULE_OPTIONS: KubernetesRuleOptions = {
  clusterLabel: "cluster",
  kubeStateMetricsSelector: `job=${str(JOBS.kubeStateMetrics)}`,
  kubeletSelector: `job=${str(JOBS.kubelet)}`,
  cadvisorSelector: `job=${str(JOBS.cadvisor)}`,
  apiserverSelector: `job=${str(JOBS.apiserver)}`,
};

/** The API server availability objective KubeAPIErrorBudgetBurn burns (kubernetes-mixin's SLO). Percent. */
export const APISERVER_SLO_PERCENT = 99;

/** Multi-window burn rates of KubeAPIErrorBudgetBurn, as in kubernetes-mixin (SRE workbook table 5-8). */
export const APISERVER_BURN_WINDOWS = [
  { long: "1h", short: "5m", factor: 14.4, for: "2m", severity: "critical" },
  { long: "6h", short: "30m", factor: 6, for: "15m", severity: "critical" },
  { long: "1d", short: "2h", factor: 3, for: "1h", severity: "warning" },
  { long: "3d", short: "6h", factor: 1, for: "3h", severity: "warning" },
] as const;

/** The API server's error ratio over `window`, recorded for the burn-rate alerts. */
export const apiserverBurnrate = (window: string): string => `apiserver_request:burnrate${window}`;

export function kubernetesOptions(o: Partial<KubernetesRuleOptions> = {}): KubernetesRuleOptions {
  return { ...DEFAULT_KUBERNETES_RULE_OPTIONS, ...o };
}

export function kubernetesPack({ o, alert }: PackContext): RuleFileSpec[] {
  if (!o.platform?.clusterComponents) return [];
  const k = kubernetesOptions(o.kubernetes);
  const c = k.clusterLabel;
  const KSM = k.kubeStateMetricsSelector;
  const KUBELET = k.kubeletSelector;
  const API = k.apiserverSelector;

  /** `expr` (per namespace/pod) with the pod's node added, value unchanged (`kube_pod_info` is 1). */
  const onPodNode = (expr: string): string =>
    [`${expr}`, `* on (${c}, namespace, pod) group_left (node)`, `  topk by (${c}, namespace, pod) (1, max by (${c}, namespace, pod, node) (kube_pod_info{${KSM}}))`].join("\n");

  const requests = (resource: "cpu" | "memory"): RecordingRule =>
    record(
      `namespace_${resource}:kube_pod_container_resource_requests:sum`,
      [
        `sum by (${c}, namespace) (`,
        `  max by (${c}, namespace, pod, container) (kube_pod_container_resource_requests{${KSM}, resource=${str(resource)}})`,
        `  * on (${c}, namespace, pod) group_left`,
        `  max by (${c}, namespace, pod) (kube_pod_status_phase{${KSM}, phase=~"Pending|Running"} == 1)`,
        ")",
      ].join("\n"),
    );

  const burnWindows = [...new Set(APISERVER_BURN_WINDOWS.flatMap((w) => [w.short, w.long]))];
  const apiVerbs = 'verb=~"LIST|GET|POST|PUT|PATCH|DELETE"';
  const recording: RecordingRule[] = [
    requests("cpu"),
    requests("memory"),
    ...burnWindows.map((w) =>
      record(
        apiserverBurnrate(w),
        [
          `sum by (${c}) (rate(apiserver_request_total{${API}, ${apiVerbs}, code=~"5.."}[${w}]))`,
          "/",
          `sum by (${c}) (rate(apiserver_request_total{${API}, ${apiVerbs}}[${w}]))`,
        ].join("\n"),
      ),
    ),
  ];

  const overcommit = (resource: "cpu" | "memory", name: string): AlertRule => {
    const allocatable = `kube_node_status_allocatable{${KSM}, resource=${str(resource)}}`;
    // What is left when the largest node fails: the cluster must still fit every request.
    const spare = `(sum by (${c}) (${allocatable}) - max by (${c}) (${allocatable}))`;
    return alert({
      name,
      expr: [`sum by (${c}) (namespace_${resource}:kube_pod_container_resource_requests:sum) - ${spare} > 0`, "and", `${spare} > 0`].join("\n"),
      for: "10m",
      severity: "warning",
      component: "kubernetes",
      summary: `Cluster has overcommitted ${resource} requests`,
      description: `Pods request ${V.si} more ${resource} than the cluster can hold once its largest node fails.`,
    });
  };

  const pvcUnless = `unless on (${c}, namespace, persistentvolumeclaim)\n  kube_persistentvolumeclaim_access_mode{${KSM}, access_mode="ReadOnlyMany"} == 1`;
  const freeRatio = `kubelet_volume_stats_available_bytes{${KUBELET}} / kubelet_volume_stats_capacity_bytes{${KUBELET}}`;
  const inUse = `kubelet_volume_stats_used_bytes{${KUBELET}} > 0`;

  const workloads: AlertRule[] = [
    alert({
      name: "KubePodCrashLooping",
      expr: onPodNode(`max by (${c}, namespace, pod, container) (max_over_time(kube_pod_container_status_waiting_reason{${KSM}, reason="CrashLoopBackOff"}[5m]))`) + "\n>= 1",
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Pod is crash looping: ${L("namespace")}/${L("pod")}`,
      description: `Container ${L("container")} of pod ${L("namespace")}/${L("pod")} on node ${L("node")} is in CrashLoopBackOff.`,
    }),
    alert({
      name: "KubePodNotReady",
      // Job pods excluded: they end in Failed by design and KubeJobFailed covers them.
      expr: onPodNode(
        [
          `sum by (${c}, namespace, pod) (`,
          `  max by (${c}, namespace, pod) (kube_pod_status_phase{${KSM}, phase=~"Pending|Unknown|Failed"})`,
          `  * on (${c}, namespace, pod) group_left (owner_kind)`,
          `  topk by (${c}, namespace, pod) (1, max by (${c}, namespace, pod, owner_kind) (kube_pod_owner{${KSM}, owner_kind!="Job"}))`,
          ")",
        ].join("\n"),
      ) + "\n> 0",
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Pod not ready: ${L("namespace")}/${L("pod")}`,
      description: `Pod ${L("namespace")}/${L("pod")} has been Pending, Unknown or Failed for more than 15 minutes.`,
    }),
    alert({
      name: "KubeDeploymentReplicasMismatch",
      expr: [
        `(kube_deployment_spec_replicas{${KSM}} > kube_deployment_status_replicas_available{${KSM}})`,
        "and",
        `(changes(kube_deployment_status_replicas_updated{${KSM}}[10m]) == 0)`,
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Deployment has missing replicas: ${L("namespace")}/${L("deployment")}`,
      description: `Deployment ${L("namespace")}/${L("deployment")} has not had its desired number of available replicas for 15 minutes.`,
    }),
    alert({
      name: "KubeDeploymentRolloutStuck",
      expr: `kube_deployment_status_condition{${KSM}, condition="Progressing", status="false"} != 0`,
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Deployment rollout is not progressing: ${L("namespace")}/${L("deployment")}`,
      description: `The rollout of deployment ${L("namespace")}/${L("deployment")} has not progressed for 15 minutes (progressDeadlineSeconds exceeded).`,
    }),
    alert({
      name: "KubeStatefulSetReplicasMismatch",
      expr: [
        `(kube_statefulset_status_replicas_ready{${KSM}} != kube_statefulset_status_replicas{${KSM}})`,
        "and",
        `(changes(kube_statefulset_status_replicas_updated{${KSM}}[10m]) == 0)`,
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `StatefulSet has missing replicas: ${L("namespace")}/${L("statefulset")}`,
      description: `StatefulSet ${L("namespace")}/${L("statefulset")} has not had its desired number of ready replicas for 15 minutes.`,
    }),
    alert({
      name: "KubeDaemonSetRolloutStuck",
      expr: [
        "(",
        `  (kube_daemonset_status_current_number_scheduled{${KSM}} != kube_daemonset_status_desired_number_scheduled{${KSM}})`,
        "  or",
        `  (kube_daemonset_status_number_misscheduled{${KSM}} != 0)`,
        "  or",
        `  (kube_daemonset_status_updated_number_scheduled{${KSM}} != kube_daemonset_status_desired_number_scheduled{${KSM}})`,
        "  or",
        `  (kube_daemonset_status_number_available{${KSM}} != kube_daemonset_status_desired_number_scheduled{${KSM}})`,
        ")",
        "and",
        `(changes(kube_daemonset_status_updated_number_scheduled{${KSM}}[5m]) == 0)`,
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `DaemonSet rollout is stuck: ${L("namespace")}/${L("daemonset")}`,
      description: `DaemonSet ${L("namespace")}/${L("daemonset")} has not finished or progressed its rollout for 15 minutes.`,
    }),
    alert({
      name: "KubeContainerWaiting",
      expr: onPodNode(`sum by (${c}, namespace, pod, container) (kube_pod_container_status_waiting_reason{${KSM}, reason!="CrashLoopBackOff"})`) + "\n> 0",
      for: "1h",
      severity: "warning",
      component: "kubernetes",
      summary: `Container waiting for over an hour: ${L("namespace")}/${L("pod")}`,
      description: `Container ${L("container")} of pod ${L("namespace")}/${L("pod")} on node ${L("node")} has been waiting (not running) for more than an hour.`,
    }),
    alert({
      name: "KubeJobFailed",
      expr: `kube_job_failed{${KSM}} > 0`,
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Job failed: ${L("namespace")}/${L("job_name")}`,
      description: `Job ${L("namespace")}/${L("job_name")} failed to complete; remove it to clear the alert.`,
    }),
    alert({
      name: "KubeHpaMaxedOut",
      expr: [
        `(kube_horizontalpodautoscaler_status_current_replicas{${KSM}} == kube_horizontalpodautoscaler_spec_max_replicas{${KSM}})`,
        "and",
        `(kube_horizontalpodautoscaler_spec_max_replicas{${KSM}} != kube_horizontalpodautoscaler_spec_min_replicas{${KSM}})`,
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `HPA at its maximum: ${L("namespace")}/${L("horizontalpodautoscaler")}`,
      description: `HPA ${L("namespace")}/${L("horizontalpodautoscaler")} has run at its maximum of ${V.int} replicas for 15 minutes; it cannot absorb more load.`,
    }),
    overcommit("cpu", "KubeCPUOvercommit"),
    overcommit("memory", "KubeMemoryOvercommit"),
    alert({
      name: "CPUThrottlingHigh",
      expr: onPodNode(
        [
          `sum by (${c}, namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{${k.cadvisorSelector}, container!=""}[5m]))`,
          "/",
          `sum by (${c}, namespace, pod, container) (increase(container_cpu_cfs_periods_total{${k.cadvisorSelector}, container!=""}[5m]))`,
        ].join("\n"),
      ) + "\n> 0.25",
      for: "15m",
      severity: "info",
      component: "kubernetes",
      summary: `Container CPU throttled: ${L("namespace")}/${L("pod")}`,
      description: `${V.pct} throttling of CPU in container ${L("container")} of pod ${L("namespace")}/${L("pod")}: its CPU limit is too low for its load.`,
    }),
  ];

  const storage: AlertRule[] = [
    alert({
      name: "KubePersistentVolumeFillingUp",
      expr: [`(${freeRatio}) < 0.03`, `and ${inUse}`, pvcUnless].join("\n"),
      for: "1m",
      severity: "critical",
      component: "kubernetes",
      summary: `PersistentVolume is filling up: ${L("namespace")}/${L("persistentvolumeclaim")}`,
      description: `The volume of claim ${L("namespace")}/${L("persistentvolumeclaim")} has only ${V.pct} free.`,
    }),
    alert({
      name: "KubePersistentVolumeFillingUp",
      expr: [
        `(${freeRatio}) < 0.15`,
        `and ${inUse}`,
        `and predict_linear(kubelet_volume_stats_available_bytes{${KUBELET}}[6h], 4 * 24 * 3600) < 0`,
        pvcUnless,
      ].join("\n"),
      for: "1h",
      severity: "warning",
      component: "kubernetes",
      summary: `PersistentVolume is filling up: ${L("namespace")}/${L("persistentvolumeclaim")}`,
      description: `The volume of claim ${L("namespace")}/${L("persistentvolumeclaim")} has ${V.pct} free and, at the rate of the last 6h, fills within four days.`,
    }),
    alert({
      name: "KubePersistentVolumeErrors",
      expr: `kube_persistentvolume_status_phase{${KSM}, phase=~"Failed|Pending"} > 0`,
      for: "5m",
      severity: "critical",
      component: "kubernetes",
      summary: `PersistentVolume has a problem: ${L("persistentvolume")}`,
      description: `PersistentVolume ${L("persistentvolume")} is in phase ${L("phase")}.`,
    }),
  ];

  const nodes: AlertRule[] = [
    alert({
      name: "KubeNodeNotReady",
      // A cordoned node (maintenance) is expected to go away.
      expr: [
        `kube_node_status_condition{${KSM}, condition="Ready", status="true"} == 0`,
        `and on (${c}, node) kube_node_spec_unschedulable{${KSM}} == 0`,
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Node not ready: ${L("node")}`,
      description: `Node ${L("node")} has been NotReady for more than 15 minutes; its pods' alerts are muted meanwhile.`,
    }),
    alert({
      name: "KubeNodeUnreachable",
      // Nodes the autoscaler or a spot-termination handler is removing are expected to go away.
      expr: [
        `(kube_node_spec_taint{${KSM}, key="node.kubernetes.io/unreachable", effect="NoSchedule"}`,
        `  unless ignoring (key, value)`,
        `  kube_node_spec_taint{${KSM}, key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|aws-node-termination-handler/spot-itn"})`,
        "== 1",
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "kubernetes",
      summary: `Node unreachable: ${L("node")}`,
      description: `Node ${L("node")} is unreachable (taint node.kubernetes.io/unreachable); its workloads are being rescheduled.`,
    }),
    alert({
      name: "KubeletTooManyPods",
      expr: [
        `count by (${c}, node) (`,
        `  (kube_pod_status_phase{${KSM}, phase="Running"} == 1)`,
        `  * on (${c}, namespace, pod) group_left (node)`,
        `  topk by (${c}, namespace, pod) (1, kube_pod_info{${KSM}})`,
        ")",
        "/",
        `max by (${c}, node) (kube_node_status_capacity{${KSM}, resource="pods"} != 1)`,
        "> 0.95",
      ].join("\n"),
      for: "15m",
      severity: "info",
      component: "kubernetes",
      summary: `Kubelet is running at capacity: ${L("node")}`,
      description: `Node ${L("node")} runs ${V.pct} of the pods it can hold; new pods will not be scheduled there.`,
    }),
    alert({
      name: "KubeletDown",
      expr: [`count by (${c}, node) (kube_node_info{${KSM}})`, `unless on (${c}, node)`, `(up{${KUBELET}} == 1)`].join("\n"),
      for: "15m",
      severity: "critical",
      component: "kubernetes",
      summary: `Kubelet not scraped: ${L("node")}`,
      description: `The kubelet of node ${L("node")} has not been scraped successfully for 15 minutes (gone from discovery or not answering); its node and volume metrics are missing.`,
    }),
  ];

  const apiserver: AlertRule[] = [
    alert({
      name: "KubeAPIDown",
      expr: `absent(up{${API}} == 1)`,
      for: "15m",
      severity: "critical",
      component: "kubernetes",
      summary: "Kubernetes API server is not scraped",
      description: "No Kubernetes API server has been scraped successfully for 15 minutes; alerts that read the API (kube-state-metrics) are muted meanwhile.",
    }),
    ...APISERVER_BURN_WINDOWS.map((w) => {
      const limit = num(w.factor * (1 - APISERVER_SLO_PERCENT / 100));
      return alert({
        name: "KubeAPIErrorBudgetBurn",
        expr: [`sum by (${c}) (${apiserverBurnrate(w.long)}) > ${limit}`, "and", `sum by (${c}) (${apiserverBurnrate(w.short)}) > ${limit}`].join("\n"),
        for: w.for,
        severity: w.severity,
        component: "kubernetes",
        labels: { long: w.long, short: w.short },
        summary: "Kubernetes API server is burning its error budget",
        description: `The API server answers ${V.pct} of requests with 5xx over ${w.long} and ${w.short}: ${w.factor}x the rate a ${APISERVER_SLO_PERCENT}% availability budget allows.`,
      });
    }),
    ...([
      ["warning", 7 * 86400, "7 days"],
      ["critical", 86400, "24 hours"],
    ] as const).map(([severity, seconds, text]) =>
      alert({
        name: "KubeClientCertificateExpiration",
        expr: [
          `histogram_quantile(0.01, sum without (namespace, service, endpoint) (rate(apiserver_client_certificate_expiration_seconds_bucket{${API}}[5m]))) < ${seconds}`,
          `and on (job, ${c}, instance)`,
          `apiserver_client_certificate_expiration_seconds_count{${API}} > 0`,
        ].join("\n"),
        for: "5m",
        severity,
        component: "kubernetes",
        summary: "A client certificate used against the API server expires soon",
        description: `A client certificate presented to API server ${L("instance")} expires in less than ${text} (1st percentile: ${V.dur}).`,
      }),
    ),
  ];

  return [
    {
      pack: "kubernetes",
      path: rulesPath("kubernetes"),
      groups: [
        { name: "kubernetes-recording", interval: o.evaluationInterval, rules: recording },
        { name: "kubernetes-apps", rules: workloads },
        { name: "kubernetes-storage", rules: storage },
        { name: "kubernetes-nodes", rules: nodes },
        { name: "kubernetes-apiserver", rules: apiserver },
      ],
    },
  ];
}
