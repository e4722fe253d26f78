/**
 * Data shapes of the rule catalog. Pure types: no Pulumi, no I/O.
 * Rule objects mirror Prometheus' rule-file schema field for field, so a
 * builder's output serialises to YAML with no translation step.
 */
import type { PlatformProfile } from "../../platform";
import type { RuleThresholds } from "./thresholds";

/** A switchable group of rules; each enabled pack renders to `prometheus/rules/<pack>.rules.yml`. */
export type RulePack = "tutordex" | "service" | "http" | "host" | "container" | "database" | "cache" | "queue" | "slo" | "probes" | "scheduler" | "kubernetes" | "api" | "ai" | "business";

/**
 * Alert severities. `none` is reserved for the Watchdog deadman (routed to its own 24h receiver);
 * `info` (kubernetes-mixin's CPUThrottlingHigh, KubeletTooManyPods) reaches only receivers that list it.
 */
export type Severity = "critical" | "warning" | "info" | "none";

/** One Prometheus alerting rule, keys in the order Prometheus documents them. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** Omitted when the alert fires on the first true evaluation. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity; readonly component: string };
  readonly annotations: Readonly<Record<string, string>> & {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

/** One Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type Rule = AlertRule | RecordingRule;

/** One rule group; `interval` overrides the global evaluation interval when set. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** A rule file before serialisation: where it goes and what it holds. */
export interface RuleFileSpec {
  /** Pack that produced the file; `watchdog` (the deadman) and `stack` (the stack's own health) are always on. */
  readonly pack: RulePack | "watchdog" | "stack";
  /** Path relative to the render root, e.g. `prometheus/rules/tutordex.rules.yml`. */
  readonly path: string;
  readonly groups: readonly RuleGroup[];
}

/**
 * A service-level objective (seed 003 shape). Produces error-budget recording
 * rules and multi-window, multi-burn-rate alerts.
 */
export interface SloSpec {
  /** Identifier, `[a-z0-9_-]+`; becomes the `slo` label on every series and alert. */
  readonly name: string;
  /** Target in percent of good events, e.g. `99.9`. Must lie strictly between 0 and 100. */
  readonly objective: number;
  /** Compliance window as a Prometheus duration, e.g. `"30d"`. */
  readonly window: string;
  readonly sli: {
    /**
     * `availability`: good = time the service's blackbox health probes succeed
     *   (`probe_success`, seed 000's "service availability" signal).
     * `errorRate`: good = HTTP responses that are not 5xx (`http_requests_total`).
     * `latency`: good = requests served within `latencyThresholdSeconds`.
     * `processingTime`: good = worker jobs finished within `latencyThresholdSeconds`
     *   (`worker_job_latency_seconds`, seed 003's worker processing_time).
     * `queueLag`: good = jobs picked up within `latencyThresholdSeconds` of being
     *   queued (`worker_job_stage_latency_seconds{operation="queue_wait"}`, seed 003's queue_lag).
     */
    readonly kind: "availability" | "latency" | "errorRate" | "processingTime" | "queueLag";
    /**
     * Which service: for `availability` the `probe` label of its health probes
     * (a `targets[]` or `probes[]` name); otherwise the Prometheus `job` whose
     * `http_requests_total` / `http_request_duration_seconds` define the SLI.
     */
    readonly job: string;
    /**
     * Threshold SLIs only (latency, processingTime, queueLag): seconds. Must
     * equal one of the bucket boundaries of the histogram the kind reads (see
     * THRESHOLD_HISTOGRAMS and docs/metrics-contract.md).
     */
    readonly latencyThresholdSeconds?: number;
  };
  /**
   * Burn-rate multiples of this SLO's alerts. Default: the catalog thresholds
   * `sloFastBurnRate` (critical, seed 003: 10x) and `sloSlowBurnRate` (warning, seed 003: 2x).
   */
  readonly burnRates?: { readonly critical?: number; readonly warning?: number };
}

/** Everything the catalog needs from the stack's configuration. */
export interface RuleCatalogOptions {
  /** Packs to render. The Watchdog file is always rendered. */
  readonly packs: readonly RulePack[];
  /** Every threshold and `for` duration; start from `DEFAULT_THRESHOLDS`. */
  readonly thresholds: RuleThresholds;
  /** Base URL of the runbooks; each alert links `<runbookBaseUrl>/<AlertName>.md`. */
  readonly runbookBaseUrl: string;
  /** Emit `CollectorStalled` (seed 000: disabled by default, quiet channels pause legitimately). */
  readonly collectorStalledEnabled: boolean;
  /** Interval of the recording-rule groups, e.g. `"30s"` (seed 000: "every 30 seconds"). */
  readonly evaluationInterval: string;
  /** SLOs for the `slo` pack; the pack renders nothing when this is empty or absent. */
  readonly slos?: readonly SloSpec[];
  /**
   * What the platform the stack runs on offers (its target's profile); decides the source of the
   * container alerts, which keep their names, severities, thresholds, `for` and `name` label:
   * standalone cAdvisor by `name`, or the kubelet's cAdvisor by `namespace`/`pod`/`container`
   * (ContainerMemoryHigh); container start times, or kube-state-metrics' restart counter
   * (ContainerRestarted, ContainerRestartLoop); and whether the kubernetes pack has a cluster to watch.
   * Default: a single host (the stack's own cAdvisor, no object state, no cluster components).
   */
  readonly platform?: RulePlatform;
  /**
   * Severity of single-tier alerts by alert name, replacing the catalog's
   * (a team that pages on what TutorDex only tickets). Alerts with warning and
   * critical tiers move by their thresholds instead. Default none.
   */
  readonly severities?: Readonly<Record<string, "critical" | "warning">>;
  /**
   * Alertmanager replicas; AlertmanagerMembersInconsistent renders only with
   * more than one (a single replica has no cluster to disagree with). Default 1.
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Prometheus remote-writes somewhere (prometheus.remoteWrite or metrics.longTerm): PrometheusRemoteStorageFailures
   * and PrometheusRemoteWriteBehind render only then (without remote write they would never have data). Default false.
   */
  readonly remoteWrite?: boolean;
  /** How the `kubernetes` pack finds its series; defaults in `DEFAULT_KUBERNETES_RULE_OPTIONS`. */
  readonly kubernetes?: Partial<KubernetesRuleOptions>;
}

/**
 * Selectors and the cluster label of the `kubernetes` pack, as
 * kubernetes-mixin's `config.libsonnet` keeps them, so one rule file serves a
 * cluster whose jobs are named differently (e.g. scraped by another Prometheus).
 */
export interface KubernetesRuleOptions {
  /** Label that tells clusters apart in cluster-wide sums (`by (cluster)`); absent labels group as one cluster. Default `cluster`. */
  readonly clusterLabel: string;
  /** Matchers of kube-state-metrics series. Default `job="kube-state-metrics"`. */
  readonly kubeStateMetricsSelector: string;
  /** Matchers of the kubelets' own /metrics. Default `job="kubelet"`. */
  readonly kubeletSelector: string;
  /** Matchers of the kubelets' cAdvisor series. Default `job="cadvisor"`. */
  readonly cadvisorSelector: string;
  /** Matchers of the API servers' /metrics. Default `job="apiserver"`. */
  readonly apiserverSelector: string;
}

/** The facts of a platform profile (configs/platform.ts) the rule packs read. */
export type RulePlatform = Pick<PlatformProfile, "containerMetrics" | "objectState" | "clusterComponents">;
