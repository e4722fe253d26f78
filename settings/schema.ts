import { DEFAULT_THRESHOLDS, RULE_PACKS } from "../configs/prometheus/rules";
import { SLI_KINDS, SLO_NAME_RE } from "../configs/prometheus/rules/packs/slo";
import type { Field, Fields, InferFields, ListField, ObjectField, UnionField } from "./fields";

/** Stack config namespace: keys are `observability:<key>`. */
export const CONFIG_NAMESPACE = "observability";

const severities = {
  kind: "list",
  description: "Severities this receiver gets.",
  items: { kind: "enum", values: ["critical", "warning", "info"], description: "An alert severity." },
  default: ["critical", "warning"],
} as const satisfies ListField;
const receiverBase = {
  name: { kind: "string", description: "Receiver name, unique.", pattern: /^[a-z0-9][a-z0-9_-]*$/, patternHint: "lower-case letters, digits, '-' and '_'" , example: "oncall" },
  severities,
  sendResolved: { kind: "bool", default: true, description: "Also notify when the alert resolves." },
} as const satisfies Fields;

const receiver = {
  kind: "union",
  description: "A notification channel, told apart by `type`.",
  variants: {
    telegram: {
      ...receiverBase,
      chatId: { kind: "int", min: -1e15, max: 1e15, description: "Telegram chat id (negative for groups)." , example: -1001234567890 },
      botToken: { kind: "secret", description: "Bot token from @BotFather.", example: "123456:ABC..." },
    },
    slack: {
      ...receiverBase,
      channel: { kind: "string", description: "Channel to post to.", example: "#alerts" },
      apiUrl: { kind: "secret", description: "Slack incoming-webhook URL." },
    },
    pagerduty: {
      ...receiverBase,
      routingKey: { kind: "secret", description: "PagerDuty Events API v2 integration key." },
    },
    email: {
      ...receiverBase,
      to: { kind: "string", description: "Recipient address.", pattern: /^[^@\s]+@[^@\s]+$/, patternHint: "an e-mail address" , example: "ops@tutordex.com" },
      from: { kind: "string", description: "Sender address.", pattern: /^[^@\s]+@[^@\s]+$/, patternHint: "an e-mail address" , example: "alertmanager@tutordex.com" },
      smarthost: { kind: "string", description: "SMTP server as host:port.", pattern: /^[^:\s]+:\d+$/, patternHint: "host:port, e.g. smtp.example.com:587" , example: "smtp.example.com:587" },
      authUsername: { kind: "string", optional: true, description: "SMTP user, when the server needs auth." , example: "alertmanager" },
      authPassword: { kind: "secret", optional: true, description: "SMTP password (required with authUsername)." },
      requireTls: { kind: "bool", default: true, description: "Refuse to send without STARTTLS." },
    },
    webhook: {
      ...receiverBase,
      url: { kind: "secret", description: "URL that receives Alertmanager's webhook JSON." },
    },
  },
} as const satisfies UnionField;

const memoryLimitMb = (dflt: number) => ({ kind: "int", min: 32, max: 262144, default: dflt, description: "Memory limit in MiB." }) as const;
const hostPort = (dflt: number, what: string) => ({ kind: "port", default: dflt, description: `Host port publishing ${what} (Docker target).` }) as const;

/** Every key of the `observability` config namespace, with defaults. */
export const SETTINGS_SCHEMA = {
  target: {
    kind: "enum",
    values: ["docker", "kubernetes"],
    default: "docker",
    description: "Where the stack runs: the local Docker engine or a Kubernetes cluster.",
  },
  environment: {
    kind: "string",
    optional: true,
    pattern: /^[a-z0-9][a-z0-9-]*$/,
    patternHint: "lower-case letters, digits and '-'",
    description: "Environment label added to every series and alert (`env`); defaults to the stack name.",
    example: "staging",
  },
  docker: {
    kind: "object",
    description: "Docker target settings.",
    fields: {
      bindAddress: {
        kind: "string",
        default: "127.0.0.1",
        pattern: /^(\d{1,3}\.){3}\d{1,3}$/,
        patternHint: "an IPv4 address such as 127.0.0.1 (loopback only) or 0.0.0.0 (all interfaces)",
        description: "Host address published ports bind to.",
      },
      networkName: { kind: "string", default: "observability", pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, patternHint: "a Docker network name", description: "User-defined network every container joins (the applications join it too)." },
      host: { kind: "string", optional: true, description: "Docker daemon address; the provider default (DOCKER_HOST or the local socket) when unset.", example: "unix:///var/run/docker.sock" },
    },
  },
  kubernetes: {
    kind: "object",
    description: "Kubernetes target settings.",
    fields: {
      namespace: { kind: "string", default: "observability", pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, patternHint: "a DNS-1123 label", description: "Namespace everything is created in." },
      context: { kind: "string", optional: true, description: "kubeconfig context; the current context when unset." , example: "prod" },
      storageClass: { kind: "string", optional: true, description: "StorageClass for persistent volumes; the cluster default when unset." , example: "gp3" },
      ingressClass: {
        kind: "string",
        optional: true,
        description: "IngressClass for user-facing services; no Ingress is created when unset. Grafana (own login) gets one; Prometheus and Alertmanager only with ingressAuthAnnotations.",
        example: "nginx",
      },
      ingressDomain: { kind: "string", optional: true, description: "Services are exposed at <service>.<ingressDomain>.", example: "obs.example.com" },
      tlsSecretName: { kind: "string", optional: true, description: "TLS Secret (wildcard for ingressDomain) used by every Ingress." , example: "obs-wildcard-tls" },
      ingressAuthAnnotations: {
        kind: "map",
        values: { kind: "string", description: "Annotation value." },
        description:
          "Annotations that make the ingress controller authenticate, put on the Ingresses of Prometheus and Alertmanager, which have no login of their own (anyone reaching them could stop Prometheus, write samples or silence every alert). Without them those two get no Ingress and are reached with kubectl port-forward; Grafana keeps its own login and its Ingress either way. ingress-nginx examples: auth-type basic + auth-secret, or auth-url + auth-signin for an OAuth2 proxy.",
        example: { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth", "nginx.ingress.kubernetes.io/auth-realm": "Observability" },
      },
      nodeNamespace: {
        kind: "string",
        optional: true,
        pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        patternHint: "a DNS-1123 label",
        description: "Namespace (Pod Security `privileged`) for the node agents that need the host: node-exporter and the log agent; `<namespace>-node` when unset.",
        example: "observability-node",
      },
      ingressNamespace: {
        kind: "string",
        default: "ingress-nginx",
        pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        patternHint: "a DNS-1123 label",
        description: "Namespace of the ingress controller; NetworkPolicies let only it reach the user-facing ports.",
      },
      kubeletTlsVerify: {
        kind: "bool",
        default: false,
        description:
          "Verify the kubelets' serving certificates (cAdvisor scrape) against the cluster CA. Off by default, as in kube-prometheus-stack: kubeadm and kind kubelets self-sign theirs, so verification would fail and cAdvisor report down; the scrape still authenticates with the service-account token. Turn on where kubelets have CA-signed serving certificates (serverTLSBootstrap).",
      },
      // ---- cluster monitoring (issue 15): scrape jobs and the kubernetes rule pack
      controlPlane: {
        kind: "bool",
        default: false,
        description:
          "Also scrape kube-proxy, kube-scheduler, kube-controller-manager and etcd (kube-system pods, by their kubeadm labels). Off by default: managed clusters hide them and kubeadm binds their metrics to localhost, so they would be down by design. Turn on where their metrics ports are reachable from pods.",
      },
      clusterLabel: {
        kind: "string",
        default: "cluster",
        pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/,
        patternHint: "a Prometheus label name",
        description: "Label that tells clusters apart in the kubernetes rule pack's cluster-wide sums (overcommit, API burn rate); series without it count as one cluster.",
      },
      ruleSelectors: {
        kind: "object",
        description: "PromQL label matchers the kubernetes rule pack finds its series by (kubernetes-mixin's selectors); change them when another Prometheus names these jobs differently.",
        fields: {
          kubeStateMetrics: { kind: "string", default: 'job="kube-state-metrics"', description: "Matchers of kube-state-metrics series.", example: 'job="kube-state-metrics"' },
          kubelet: { kind: "string", default: 'job="kubelet"', description: "Matchers of the kubelets' own /metrics series.", example: 'job="kubelet"' },
          cadvisor: { kind: "string", default: 'job="cadvisor"', description: "Matchers of the kubelets' cAdvisor series.", example: 'job="cadvisor"' },
          apiserver: { kind: "string", default: 'job="apiserver"', description: "Matchers of the API servers' /metrics series.", example: 'job="apiserver"' },
        },
      },
      clusterDomain: {
        kind: "string",
        default: "cluster.local",
        pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
        patternHint: "a DNS name such as cluster.local",
        description: "Cluster DNS domain, for names that cross from the node namespace to the stack's.",
      },
    },
  },
  prometheus: {
    kind: "object",
    description: "Prometheus server.",
    fields: {
      retention: { kind: "duration", default: "15d", description: "How long samples are kept." },
      scrapeInterval: { kind: "duration", default: "15s", description: "Default scrape interval." },
      evaluationInterval: { kind: "duration", default: "30s", description: "Rule evaluation interval (seed 000: recording rules every 30 s)." },
      storageGi: {
        kind: "int",
        min: 1,
        max: 10000,
        default: 20,
        description: "Persistent volume size (Kubernetes). Prometheus deletes its oldest blocks beyond 85% of it (storage.tsdb.retention.size), whatever `retention` says. Docker: unused (the volume shares the host's disk, which the host rules watch).",
      },
      hostPort: hostPort(9090, "the Prometheus UI/API"),
      memoryLimitMb: memoryLimitMb(2048),
    },
  },
  alertmanager: {
    kind: "object",
    description: "Alertmanager.",
    fields: {
      replicas: { kind: "int", min: 1, max: 5, default: 1, description: "Clustered replicas (Kubernetes; Docker always runs one)." },
      hostPort: hostPort(9093, "the Alertmanager UI/API"),
      memoryLimitMb: memoryLimitMb(256),
    },
  },
  loki: {
    kind: "object",
    description: "Loki log store.",
    fields: {
      retention: { kind: "duration", default: "168h", description: "How long logs are kept." },
      storageGi: { kind: "int", min: 1, max: 10000, default: 20, description: "Persistent volume size (Kubernetes)." },
      hostPort: hostPort(3100, "the Loki API"),
      memoryLimitMb: memoryLimitMb(1024),
    },
  },
  logAgent: {
    kind: "enum",
    values: ["alloy", "promtail"],
    default: "alloy",
    description: "Log shipper: Grafana Alloy, or Promtail (end of life since 2026-03-02; kept for existing users).",
  },
  tempo: {
    kind: "object",
    description: "Tempo trace store.",
    fields: {
      retention: { kind: "duration", default: "72h", description: "How long traces are kept." },
      storageGi: { kind: "int", min: 1, max: 10000, default: 10, description: "Persistent volume size (Kubernetes)." },
      hostPort: hostPort(3200, "the Tempo API"),
      memoryLimitMb: memoryLimitMb(1024),
    },
  },
  otelCollector: {
    kind: "object",
    description: "OpenTelemetry Collector: OTLP in, traces to Tempo, logs to Loki, metrics to Prometheus.",
    fields: {
      grpcHostPort: hostPort(4317, "OTLP/gRPC"),
      httpHostPort: hostPort(4318, "OTLP/HTTP"),
      memoryLimitMb: memoryLimitMb(512),
    },
  },
  grafana: {
    kind: "object",
    description: "Grafana: deployed with the stack, or an existing Grafana (or Grafana Cloud) the stack configures.",
    fields: {
      mode: {
        kind: "enum",
        values: ["deploy", "external"],
        default: "deploy",
        description: "`deploy` runs Grafana with the stack; `external` deploys none and creates the folders, datasources and dashboards in the Grafana at `grafana.url` through its API.",
      },
      hostPort: hostPort(3300, "Grafana (seed 000 serves it on 3300)"),
      adminUser: { kind: "string", default: "admin", pattern: /^[A-Za-z0-9._-]+$/, patternHint: "letters, digits, '.', '_' and '-'", description: "Admin login (deploy mode)." },
      adminPassword: { kind: "secret", optional: true, description: "Admin password (deploy mode, at least 12 characters); a random 24-character one is generated when unset." },
      memoryLimitMb: memoryLimitMb(512),
      url: { kind: "string", optional: true, pattern: /^https?:\/\/[^\s/]+(\/\S*)?$/, patternHint: "an http:// or https:// URL such as https://grafana.example.com", description: "External mode: the Grafana (or Grafana Cloud stack) to configure.", example: "https://example.grafana.net" },
      apiToken: { kind: "secret", optional: true, description: "External mode: a service-account token with the Admin role (creating datasources needs it; Editor can only make folders and dashboards).", example: "glsa_..." },
      datasourceUrls: {
        kind: "object",
        description: "External mode: where the external Grafana reaches each service. It is not on the stack's network, so the stack-internal names do not resolve there; defaults are the services' published URLs (Docker host ports; on Kubernetes the Ingress of Prometheus and Alertmanager, which exists only with kubernetes.ingressAuthAnnotations, and which the external Grafana must pass, e.g. from an allowed source range). Loki and Tempo have no Ingress, so on Kubernetes they must be given, and Prometheus and Alertmanager too without ingressAuthAnnotations.",
        fields: {
          prometheus: { kind: "string", optional: true, pattern: /^https?:\/\/\S+$/, patternHint: "an http(s) URL", description: "Prometheus URL as the external Grafana reaches it.", example: "https://prometheus.obs.example.com" },
          loki: { kind: "string", optional: true, pattern: /^https?:\/\/\S+$/, patternHint: "an http(s) URL", description: "Loki URL as the external Grafana reaches it.", example: "https://loki.obs.example.com" },
          tempo: { kind: "string", optional: true, pattern: /^https?:\/\/\S+$/, patternHint: "an http(s) URL", description: "Tempo query URL as the external Grafana reaches it.", example: "https://tempo.obs.example.com" },
          alertmanager: { kind: "string", optional: true, pattern: /^https?:\/\/\S+$/, patternHint: "an http(s) URL", description: "Alertmanager URL as the external Grafana reaches it.", example: "https://alertmanager.obs.example.com" },
        },
      },
    },
  },
  exporters: {
    kind: "object",
    description: "Exporters beyond the always-on node-exporter, cAdvisor and blackbox-exporter.",
    fields: {
      postgres: {
        kind: "object",
        description: "postgres-exporter (seed 002).",
        fields: {
          enabled: { kind: "bool", default: false, description: "Run postgres-exporter." },
          dataSourceName: { kind: "secret", optional: true, description: "Connection URI (required when enabled).", example: "postgresql://exporter:...@db:5432/postgres?sslmode=disable" },
        },
      },
      redis: {
        kind: "object",
        description: "redis-exporter (seed 002).",
        fields: {
          enabled: { kind: "bool", default: false, description: "Run redis-exporter." },
          address: { kind: "string", default: "redis://redis:6379", pattern: /^rediss?:\/\/[^\s]+$/, patternHint: "redis://host:port", description: "Redis to watch." },
          password: { kind: "secret", optional: true, description: "Redis password, when the server needs one." },
        },
      },
    },
  },
  targets: {
    kind: "list",
    description: "Application services Prometheus scrapes (one job each) and whose health endpoints blackbox probes.",
    uniqueBy: "name",
    default: [],
    example: [{ name: "tutordex_backend", address: "backend:8000", component: "backend", healthPaths: ["/health/backend", "/health/dependencies"] }],
    items: {
      kind: "object",
      description: "One scrape job.",
      fields: {
        name: { kind: "string", pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "a Prometheus job name: letters, digits and '_'", description: "Job name." , example: "tutordex_backend" },
        address: { kind: "string", pattern: /^[A-Za-z0-9.-]+:\d{1,5}$/, patternHint: "host:port, e.g. backend:8000", description: "host:port serving metrics." , example: "backend:8000" },
        component: { kind: "string", pattern: /^[a-z0-9_-]+$/, patternHint: "lower-case letters, digits, '-' and '_'", description: "`component` label on the job's series. `collector`, `worker` and `backend` also name the TutorDex service whose metrics the contract expects here: that target's ServiceDown then mutes the alerts reading those metrics (Alertmanager inhibition)." , example: "backend" },
        metricsPath: { kind: "string", default: "/metrics", pattern: /^\//, patternHint: "a path starting with /", description: "Metrics path." },
        scrapeInterval: { kind: "duration", default: "15s", description: "Scrape interval." },
        healthPaths: {
          kind: "list",
          default: [],
          description: "Paths on `address` blackbox probes for a 2xx.",
          items: { kind: "string", pattern: /^\//, patternHint: "a path starting with /", description: "Health path." },
        },
        metricRenames: {
          kind: "map",
          values: { kind: "string", pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, patternHint: "a metric name", description: "Contract name." },
          description:
            "Rename metrics at scrape time, exported name -> contract name (docs/metrics-contract.md); a histogram's _bucket/_sum/_count follow its base name. Becomes metric_relabel_configs of this job.",
          example: { backend_http_requests_total: "http_requests_total", backend_http_request_latency_seconds: "http_request_duration_seconds" },
        },
        labelRenames: {
          kind: "map",
          values: { kind: "string", pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "a label name", description: "Contract label name." },
          description: "Rename labels of every metric of this job at scrape time, exported name -> contract name. Becomes metric_relabel_configs of this job.",
          example: { status_code: "status" },
        },
      },
    },
  },
  probes: {
    kind: "list",
    description: "Further URLs blackbox probes (outside services, status pages).",
    uniqueBy: "name",
    default: [],
    example: [{ name: "website", url: "https://tutordex.example.com/" }],
    items: {
      kind: "object",
      description: "One probe.",
      fields: {
        name: { kind: "string", pattern: /^[a-z0-9_-]+$/, patternHint: "lower-case letters, digits, '-' and '_'", description: "Probe name (`probe` label)." , example: "website" },
        url: { kind: "string", pattern: /^https?:\/\/\S+$/, patternHint: "an http:// or https:// URL", description: "URL to probe." , example: "https://tutordex.example.com/" },
        module: { kind: "enum", values: ["http_2xx", "http_2xx_json", "tcp_connect"], default: "http_2xx", description: "Blackbox module." },
      },
    },
  },
  alerting: {
    kind: "object",
    description: "Rules and notifications.",
    fields: {
      receivers: { kind: "list", uniqueBy: "name", default: [], items: receiver, description: "Notification receivers; each gets the severities it lists.", example: [{ type: "telegram", name: "oncall", chatId: -1001234567890, severities: ["critical", "warning"] }] },
      deadMansSwitch: { kind: "string", optional: true, description: "Receiver that gets the always-firing Watchdog every 24 h (a dead man's switch service)." , example: "healthchecks" },
      groupBy: {
        kind: "list",
        default: ["alertname", "component", "pipeline_version"],
        items: { kind: "string", pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "a label name", description: "Label." },
        description: "Labels notifications are grouped by (seed 001).",
      },
      rulePacks: {
        kind: "list",
        default: ["tutordex", "service", "host", "container", "kubernetes"],
        items: { kind: "enum", values: RULE_PACKS, description: "A rule pack." },
        description: "Alert rule packs to load. `kubernetes` renders on the Kubernetes target only; the stack's own health (`stack` rules) and the Watchdog always ship.",
      },
      thresholds: {
        kind: "map",
        values: { kind: "scalar", description: "Threshold or duration." },
        knownKeys: Object.keys(DEFAULT_THRESHOLDS),
        fieldFor: (key: string): Field | undefined => {
          const dflt = (DEFAULT_THRESHOLDS as unknown as Record<string, number | string>)[key];
          if (dflt === undefined) return undefined;
          return typeof dflt === "number"
            ? { kind: "number", min: 0, max: Number.MAX_SAFE_INTEGER, description: key }
            : { kind: "duration", description: key };
        },
        description: "Overrides of rule thresholds and `for` durations (keys as in configs/prometheus/rules).",
        example: { llmFailureRatePerS: 0.5, queueOldestPendingFor: "45m" },
      },
      collectorStalledEnabled: { kind: "bool", default: false, description: "Ship CollectorStalled (off by default, as in seed 000)." },
      extraRuleFiles: {
        kind: "list",
        default: [],
        description:
          "Your own Prometheus rule files (YAML, Prometheus rule-file format), paths relative to the project directory. Checked like the shipped rules (structure, durations, every PromQL expression) before anything deploys, then loaded next to them.",
        example: ["rules/business.rules.yml"],
        items: {
          kind: "string",
          pattern: /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[\w./-]+\.ya?ml$/,
          patternHint: "a relative path inside the project ending in .yml or .yaml, without '..', e.g. rules/business.rules.yml",
          description: "Rule file path.",
        },
      },
      slos: {
        kind: "list",
        uniqueBy: "name",
        default: [],
        description:
          "Service level objectives (seed 003): each becomes error-budget recording rules and multi-window burn-rate alerts (SLOErrorBudgetFastBurn pages, SLOErrorBudgetSlowBurn opens a ticket). Setting any switches the slo rule pack on.",
        example: [{ name: "backend-availability", objective: 99.9, window: "30d", kind: "availability", target: "tutordex_backend" }],
        items: {
          kind: "object",
          description: "One SLO.",
          fields: {
            name: { kind: "string", pattern: SLO_NAME_RE, patternHint: "lower-case letters, digits, '-' and '_'", description: "SLO name; the `slo` label of its series and alerts.", example: "backend-availability" },
            objective: { kind: "number", min: 0, max: 100, description: "Target in percent of good time or requests, strictly between 0 and 100 (seed 003: 99.9).", example: 99.9 },
            window: { kind: "duration", default: "30d", description: "Compliance window the error budget is spread over (seed 003: 30d)." },
            kind: {
              kind: "enum",
              values: SLI_KINDS,
              description:
                "availability: share of time the target's blackbox health probes succeed; errorRate: share of HTTP requests that are not 5xx; latency: share of HTTP requests faster than latencyThresholdSeconds.",
            },
            target: {
              kind: "string",
              pattern: /^[a-zA-Z_][a-zA-Z0-9_-]*$/,
              patternHint: "a targets[] name (or, for availability, a probes[] name)",
              description: "What the SLO measures: a targets[] name (its job), or for availability also a probes[] name.",
              example: "tutordex_backend",
            },
            latencyThresholdSeconds: { kind: "number", optional: true, min: 0, max: 3600, description: "Latency SLOs only: threshold in seconds, equal to a bucket boundary of http_request_duration_seconds.", example: 2.5 },
            criticalBurnRate: { kind: "number", optional: true, min: 1, max: 10000, description: "Burn-rate multiple that pages; default alerting.thresholds.sloFastBurnRate (10x, seed 003).", example: 14.4 },
            warningBurnRate: { kind: "number", optional: true, min: 1, max: 10000, description: "Burn-rate multiple that opens a ticket; default alerting.thresholds.sloSlowBurnRate (2x, seed 003).", example: 3 },
          },
        },
      },
      runbookBaseUrl: {
        kind: "string",
        default: "https://github.com/tutordex/observability/blob/main/docs/runbooks",
        pattern: /^https?:\/\/\S+[^/]$/,
        patternHint: "an http(s) URL without a trailing slash",
        description: "Where runbooks are published; alerts link to <base>/<AlertName>.md.",
      },
      maintenanceWindows: {
        kind: "list",
        uniqueBy: "name",
        default: [],
        description: "Recurring windows in which notifications of every severity are muted (planned work trips target-down alerts too); the Watchdog is never muted.",
        example: [{ name: "sunday-maintenance", weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Singapore" }],
        items: {
          kind: "object",
          description: "One window.",
          fields: {
            name: { kind: "string", pattern: /^[a-z0-9_-]+$/, patternHint: "lower-case letters, digits, '-' and '_'", description: "Window name." , example: "sunday-maintenance" },
            weekdays: { kind: "list", default: [], items: { kind: "string", pattern: /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(:(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$/, patternHint: "a weekday or range such as monday:friday", description: "Weekday." }, description: "Weekdays or ranges." },
            times: {
              kind: "list",
              default: [],
              description: "Time ranges (HH:MM, 24 h).",
              items: {
                kind: "object",
                description: "A time range.",
                fields: {
                  start: { kind: "string", pattern: /^([01]\d|2[0-3]):[0-5]\d$/, patternHint: "HH:MM", description: "Start." , example: "02:00" },
                  end: { kind: "string", pattern: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, patternHint: "HH:MM", description: "End." , example: "04:00" },
                },
              },
            },
            location: { kind: "string", default: "UTC", description: "IANA time zone.", example: "Asia/Singapore" },
          },
        },
      },
    },
  },
} as const satisfies Fields;

export type Settings = InferFields<typeof SETTINGS_SCHEMA>;
export type ReceiverSettings = Settings["alerting"]["receivers"][number];
export type TargetSettings = Settings["targets"][number];

/** The object field of the whole namespace, for code that walks the schema. */
export const ROOT_FIELD: ObjectField = { kind: "object", description: "observability", fields: SETTINGS_SCHEMA };
