import { DEFAULT_THRESHOLDS, RULE_PACKS } from "../configs/prometheus/rules";
import { SLI_KINDS, SLO_NAME_RE } from "../configs/prometheus/rules/packs/slo";
import { DNS_QUERY_TYPES, HTTP_PROBE_METHODS, PROBE_KINDS } from "../configs/blackbox/blackbox";
import { DEFAULT_REMOTE_WRITE_QUEUE, REMOTE_WRITE_RELABEL_ACTIONS } from "../configs/prometheus/remote-write";
import type { Field, Fields, InferFields, ListField, ObjectField, UnionField } from "./fields";
import { bucketNameProblem, s3EndpointProblem } from "../configs/object-storage";
import {
  DNS1123_LABEL,
  DNS1123_LABEL_HINT,
  DNS1123_SUBDOMAIN,
  DNS1123_SUBDOMAIN_HINT,
  dnsNameProblem,
  emailAddressProblem,
  emailListProblem,
  ENVIRONMENT_HINT,
  ENVIRONMENT_RE,
  hostPortProblem,
  httpUrlProblem,
  ipAddressProblem,
  probeTargetProblem,
  re2Problem,
  remoteWriteUrlProblem,
  runbookBaseUrlProblem,
  timeZoneProblem,
  urlPathProblem,
  alertmanagerMatcherProblem,
  DAYS_OF_MONTH_RE,
  MONTHS_RE,
} from "./values";

/** A Kubernetes namespace name (DNS-1123 label). */
const namespaceName = { kind: "string", pattern: DNS1123_LABEL, patternHint: DNS1123_LABEL_HINT, maxLength: 63 } as const;
/** A Kubernetes object name (DNS-1123 subdomain). */
const objectName = { kind: "string", pattern: DNS1123_SUBDOMAIN, patternHint: DNS1123_SUBDOMAIN_HINT, maxLength: 253 } as const;

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
      to: { kind: "string", description: "Recipient address, or several separated by commas.", check: emailListProblem, example: "ops@tutordex.com" },
      from: { kind: "string", description: "Sender address.", check: emailAddressProblem, example: "alertmanager@tutordex.com" },
      smarthost: { kind: "string", description: "SMTP server as host:port.", check: hostPortProblem, example: "smtp.example.com:587" },
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
    pattern: ENVIRONMENT_RE,
    patternHint: ENVIRONMENT_HINT,
    maxLength: 63,
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
        check: ipAddressProblem,
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
      namespace: { ...namespaceName, default: "observability", description: "Namespace everything is created in (at most 58 characters while nodeNamespace is unset: it becomes <namespace>-node)." },
      context: { kind: "string", optional: true, description: "kubeconfig context; the current context when unset." , example: "prod" },
      storageClass: { ...objectName, optional: true, description: "StorageClass for persistent volumes; the cluster default when unset." , example: "gp3" },
      ingressClass: {
        ...objectName,
        optional: true,
        description: "IngressClass for user-facing services; no Ingress is created when unset. Grafana (own login) gets one; Prometheus and Alertmanager only with ingressAuthAnnotations.",
        example: "nginx",
      },
      ingressDomain: { kind: "string", optional: true, check: (v: string) => dnsNameProblem(v, "alertmanager."), description: "Services are exposed at <service>.<ingressDomain>.", example: "obs.example.com" },
      tlsSecretName: { ...objectName, optional: true, description: "TLS Secret (wildcard for ingressDomain) used by every Ingress." , example: "obs-wildcard-tls" },
      ingressAuthAnnotations: {
        kind: "map",
        values: { kind: "string", description: "Annotation value." },
        description:
          "Annotations that make the ingress controller authenticate, put on the Ingresses of Prometheus and Alertmanager, which have no login of their own (anyone reaching them could stop Prometheus, write samples or silence every alert). Without them those two get no Ingress and are reached with kubectl port-forward; Grafana keeps its own login and its Ingress either way. ingress-nginx examples: auth-type basic + auth-secret, or auth-url + auth-signin for an OAuth2 proxy.",
        example: { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth", "nginx.ingress.kubernetes.io/auth-realm": "Observability" },
      },
      // Security (issue 14): what counts as Ingress authentication, and TLS.
      ingressAuthAcknowledged: {
        kind: "bool",
        default: false,
        description:
          "Accept kubernetes.ingressAuthAnnotations the program does not recognise as authentication (recognised: ingress-nginx auth-type basic/digest + auth-secret, ingress-nginx auth-url + auth-signin, a Traefik router.middlewares reference). Set it only after checking that your controller authenticates every request with those annotations.",
      },
      certManagerClusterIssuer: {
        kind: "string",
        optional: true,
        pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        patternHint: "a ClusterIssuer name such as letsencrypt-prod",
        description: "cert-manager ClusterIssuer that issues each Ingress host its certificate (annotation cert-manager.io/cluster-issuer, Secret <service>-tls); an alternative to tlsSecretName.",
        example: "letsencrypt-prod",
      },
      otlpNamespaceLabels: {
        kind: "map",
        values: { kind: "string", description: "Label value." },
        default: { "observability/otlp": "enabled" },
        description:
          "Labels a namespace must carry for its pods to reach the collector's OTLP ports (NetworkPolicy namespaceSelector). Label each application namespace, e.g. kubectl label namespace tutordex observability/otlp=enabled; pods elsewhere cannot write telemetry into the stack.",
        example: { "observability/otlp": "enabled" },
      },
      allowPlainHttpIngress: {
        kind: "bool",
        default: false,
        description:
          "Allow Ingresses without TLS (neither tlsSecretName nor certManagerClusterIssuer). Off by default: Grafana's login and the authenticated Prometheus/Alertmanager would send passwords and session cookies in the clear. Only for a controller that terminates TLS in front of the cluster.",
      },
      nodeNamespace: {
        ...namespaceName,
        optional: true,
        description: "Namespace (Pod Security `privileged`) for the node agents that need the host: node-exporter and the log agent; `<namespace>-node` when unset.",
        example: "observability-node",
      },
      ingressNamespace: {
        ...namespaceName,
        default: "ingress-nginx",
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
        description: "Label that tells clusters apart in the kubernetes rule pack's cluster-wide sums (overcommit, API burn rate) and in the Kubernetes dashboards' `$cluster` variable; series without it count as one cluster.",
      },
      ruleSelectors: {
        kind: "object",
        description: "PromQL label matchers the kubernetes rule pack and the Kubernetes dashboards find their series by (kubernetes-mixin's selectors); change them when another Prometheus names these jobs differently.",
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
        maxLength: 253,
        description: "Cluster DNS domain, for names that cross from the node namespace to the stack's.",
      },
      expectedNodes: { kind: "int", min: 1, max: 10000, default: 3, description: "Sizing: nodes the cluster runs (node-exporter, the log agent and the kubelet's cAdvisor have one target each)." },
      expectedPods: { kind: "int", min: 1, max: 1000000, default: 50, description: "Sizing: pods the cluster runs (the kubelet's cAdvisor and kube-state-metrics export series per pod)." },
    },
  },
  prometheus: {
    kind: "object",
    description: "Prometheus server.",
    fields: {
      retention: { kind: "duration", default: "15d", description: "How long samples are kept." },
      scrapeInterval: { kind: "duration", default: "15s", description: "Default scrape interval." },
      evaluationInterval: { kind: "duration", default: "30s", description: "Rule evaluation interval (the TutorDex recording rules are written for 30 s)." },
      storageGi: {
        kind: "int",
        min: 1,
        max: 10000,
        default: 20,
        description: "Persistent volume size (Kubernetes). Prometheus deletes its oldest blocks beyond 85% of it (storage.tsdb.retention.size), whatever `retention` says. Docker: unused (the volume shares the host's disk, which the host rules watch).",
      },
      hostPort: hostPort(9090, "the Prometheus UI/API"),
      memoryLimitMb: memoryLimitMb(2048),
      // Security (issue 14): one bad deploy cannot blow up Prometheus.
      applicationSampleLimit: {
        kind: "int",
        min: 100,
        max: 10000000,
        default: 50000,
        example: 20000,
        description: "Most samples one scrape of an application (targets[], and annotated pods on Kubernetes) may return (sample_limit); a scrape over it fails whole and the target reads as down, instead of a label explosion filling Prometheus' memory.",
      },
      applicationLabelLimit: {
        kind: "int",
        min: 10,
        max: 1000,
        default: 64,
        description: "Most labels one series of an application scrape may carry (label_limit); over it the scrape fails.",
      },
      // Backup (issue 16): `npm run backup` takes TSDB snapshots through the admin API.
      adminApi: {
        kind: "bool",
        default: false,
        description: "Start Prometheus with --web.enable-admin-api, which `npm run backup` needs for a TSDB snapshot. Whoever reaches port 9090 can then also delete series: on Kubernetes the stack's own pods (NetworkPolicy) and whoever passes the Ingress' authentication, on Docker also the applications' network and the published port. Off: backup skips Prometheus.",
      },
      // ---- scaling (issue 13, metrics): HA pair, remote write
      replicas: {
        kind: "int",
        optional: true,
        min: 1,
        max: 5,
        description:
          "Prometheus replicas (Kubernetes): each scrapes every target and evaluates every rule (an HA pair at 2), told apart by the `replica` external label (the pod name), which is dropped from alerts so Alertmanager deduplicates them. Default 2 on Kubernetes; Docker runs one (a value above 1 there is an error).",
        example: 2,
      },
      cluster: {
        kind: "string",
        optional: true,
        pattern: /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/,
        patternHint: "letters, digits, '.', '_' and '-', such as prod-eu-1",
        maxLength: 63,
        description: "Value of the `cluster` external label on every series Prometheus sends out (remote write, alerts), so a shared long-term store tells clusters apart; defaults to the environment.",
        example: "prod-eu-1",
      },
      remoteWrite: {
        kind: "list",
        uniqueBy: "url",
        default: [],
        description:
          "Prometheus-compatible long-term stores every replica writes to (Mimir, Thanos Receive, VictoriaMetrics, Grafana Cloud), besides metrics.longTerm. The `replica` label is kept (Mimir's HA tracker and Thanos deduplicate by it); drop it with writeRelabelConfigs for a store that deduplicates by time.",
        example: [{ url: "https://prometheus-prod-01.grafana.net/api/prom/push", basicAuthUser: "tutordex-writer", queue: { maxShards: 20 } }],
        items: {
          kind: "object",
          description: "One remote-write endpoint.",
          fields: {
            url: { kind: "string", check: remoteWriteUrlProblem, description: "Push endpoint, e.g. https://mimir.example.com/api/v1/push; credentials go in basicAuthPassword or bearerToken, never in the URL.", example: "https://mimir.example.com/api/v1/push" },
            basicAuthUser: { kind: "string", optional: true, description: "Basic-auth user; needs basicAuthPassword. A numeric id (Grafana Cloud) must stay a string: pulumi config set --type string.", example: "tutordex-writer" },
            basicAuthPassword: { kind: "secret", optional: true, description: "Basic-auth password (with basicAuthUser); mounted as a file (password_file), never in prometheus.yml." },
            bearerToken: { kind: "secret", optional: true, description: "Token sent as `Authorization: Bearer`; mounted as a file (authorization.credentials_file), never in prometheus.yml." },
            headers: {
              kind: "map",
              values: { kind: "string", description: "Header value." },
              description: "Extra request headers, e.g. a tenant id. Not for credentials (Authorization is refused: use bearerToken or basic auth), nor the headers Prometheus sets itself.",
              example: { "X-Scope-OrgID": "tutordex" },
            },
            queue: {
              kind: "object",
              description: "queue_config: how much Prometheus buffers and how hard it pushes (defaults are Prometheus 3's).",
              fields: {
                capacity: { kind: "int", min: 1, max: 1000000, default: DEFAULT_REMOTE_WRITE_QUEUE.capacity, description: "Samples buffered per shard before reading the WAL blocks; at least maxSamplesPerSend (upstream recommends 3-10x)." },
                maxShards: { kind: "int", min: 1, max: 1000, default: DEFAULT_REMOTE_WRITE_QUEUE.maxShards, description: "Most concurrent senders." },
                maxSamplesPerSend: { kind: "int", min: 1, max: 100000, default: DEFAULT_REMOTE_WRITE_QUEUE.maxSamplesPerSend, description: "Samples per request." },
                batchSendDeadline: { kind: "duration", default: DEFAULT_REMOTE_WRITE_QUEUE.batchSendDeadline, description: "Longest a sample waits in a shard before a partial batch is sent." },
              },
            },
            writeRelabelConfigs: {
              kind: "list",
              default: [],
              description: "write_relabel_configs: which series this endpoint gets and with which labels, applied after the external labels.",
              example: [{ action: "labeldrop", regex: "replica" }, { action: "keep", sourceLabels: ["__name__"], regex: "tutordex_.*|up" }],
              items: {
                kind: "object",
                description: "One relabel rule.",
                fields: {
                  action: { kind: "enum", values: REMOTE_WRITE_RELABEL_ACTIONS, default: "replace", description: "Relabel action." },
                  sourceLabels: { kind: "list", default: [], items: { kind: "string", pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "a label name", description: "Label." }, description: "Labels whose values (joined by ';') the regex matches." },
                  regex: { kind: "string", default: "(.*)", check: re2Problem, description: "RE2 regular expression, anchored at both ends." },
                  targetLabel: { kind: "string", optional: true, pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "a label name", description: "Label written by replace (required there).", example: "tenant" },
                  replacement: { kind: "string", default: "$1", description: "Value written by replace; $1 is the regex's first group." },
                },
              },
            },
          },
        },
      },
    },
  },
  // ---- scaling (issue 13, metrics): long-term store
  metrics: {
    kind: "object",
    description: "Long-term metrics beyond Prometheus' own retention.",
    fields: {
      longTerm: {
        kind: "enum",
        values: ["none", "victoriametrics"],
        default: "none",
        description:
          "Long-term store the program deploys and every Prometheus replica remote-writes to (replica label dropped: the pair stores one series), with a Grafana datasource (uid victoriametrics). Rules and alerts stay in Prometheus.",
      },
      victoriametrics: {
        kind: "object",
        description: "VictoriaMetrics, with metrics.longTerm: victoriametrics.",
        fields: {
          mode: {
            kind: "enum",
            values: ["single", "cluster"],
            default: "single",
            description: "single: one victoria-metrics server (Docker always; Kubernetes a StatefulSet). cluster (Kubernetes): vmstorage StatefulSet, vminsert and vmselect Deployments.",
          },
          retention: { kind: "duration", default: "90d", description: "How long samples are kept (-retentionPeriod; at least 24h)." },
          storageGi: { kind: "int", min: 1, max: 100000, default: 50, description: "Persistent volume per server or vmstorage replica (Kubernetes)." },
          memoryLimitMb: memoryLimitMb(2048),
          hostPort: hostPort(8428, "VictoriaMetrics' query API"),
          replicationFactor: {
            kind: "int",
            min: 1,
            max: 5,
            default: 2,
            description: "cluster: copies of every sample, on distinct vmstorage replicas (-replicationFactor on vminsert and vmselect); survives replicationFactor-1 vmstorage losses.",
          },
          storageReplicas: {
            kind: "int",
            optional: true,
            min: 1,
            max: 100,
            description: "cluster: vmstorage replicas; at least 2*replicationFactor-1 (the default), so data stays readable and writable with replicationFactor-1 of them down.",
            example: 3,
          },
          insertReplicas: { kind: "int", min: 2, max: 100, default: 2, description: "cluster: vminsert replicas (stateless)." },
          selectReplicas: { kind: "int", min: 2, max: 100, default: 2, description: "cluster: vmselect replicas (stateless)." },
          insertMemoryLimitMb: memoryLimitMb(512),
          selectMemoryLimitMb: memoryLimitMb(1024),
        },
      },
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
      expectedLogBytesPerDay: { kind: "number", optional: true, min: 1, max: 1e15, description: "Sizing: raw log bytes shipped per day; with it, preview estimates Loki's disk and refuses a storageGi that cannot hold the retention.", example: 5368709120 },
      hostPort: hostPort(3100, "the Loki API"),
      // Security (issue 14).
      deletionEnabled: {
        kind: "bool",
        default: false,
        description: "Serve Loki's log deletion API (deletion_mode filter-and-delete). Off by default: Loki has no login, so anyone who reaches it could erase the logs of an incident.",
      },
      memoryLimitMb: memoryLimitMb(1024),
      // Scaling (issue 13): HA monolithic mode.
      replicas: {
        kind: "int",
        min: 1,
        max: 100,
        default: 1,
        description:
          "Loki replicas (Kubernetes). 3 or more run Loki's HA monolithic mode: every replica target all, memberlist rings, replication factor 3, one main compactor; it needs objectStorage. 2 is refused (replication factor 3 needs 3). Docker runs one.",
        example: 3,
      },
      limits: {
        kind: "object",
        description: "Per-tenant limits (Loki's limits_config; the stack writes every stream as one tenant). Defaults are Loki's own; raise them for high log volume (e.g. ingestion_rate_mb 100).",
        fields: {
          ingestionRateMb: { kind: "number", min: 0.1, max: 10000, default: 4, description: "ingestion_rate_mb: sustained push rate, MB/s; pushes above it get 429 and the agent retries." },
          ingestionBurstSizeMb: { kind: "number", min: 0.1, max: 10000, default: 6, description: "ingestion_burst_size_mb: largest burst, MB; at least the biggest single push of the log agent." },
          maxGlobalStreamsPerUser: { kind: "int", min: 1, max: 10000000, default: 5000, description: "max_global_streams_per_user: active streams (label combinations); new streams beyond it are refused." },
          maxEntriesLimitPerQuery: { kind: "int", min: 1, max: 1000000, default: 5000, description: "max_entries_limit_per_query: log lines one query may return (Grafana's line limit must stay at or below it)." },
        },
      },
    },
  },
  // Scaling (issue 13): Loki's chunks and index and Tempo's blocks in an S3-compatible bucket.
  objectStorage: {
    kind: "object",
    description:
      "S3-compatible object storage (AWS S3, MinIO, Ceph RGW, GCS/R2 S3 APIs) for Loki's chunks, index and delete requests and Tempo's trace blocks, on both targets. Off while endpoint is unset; then each keeps its data on its volume.",
    fields: {
      endpoint: { kind: "string", optional: true, check: s3EndpointProblem, description: "S3 endpoint as host or host:port, no scheme (https unless insecure).", example: "s3.eu-west-1.amazonaws.com" },
      region: { kind: "string", optional: true, pattern: /^[a-z0-9-]+$/, patternHint: "a region name such as eu-west-1", description: "Region; when unset the clients ask the endpoint.", example: "eu-west-1" },
      lokiBucket: { kind: "string", optional: true, check: bucketNameProblem, description: "Bucket for Loki (required with endpoint). The same bucket as tempoBucket is fine: each then writes under its own prefix (loki/, tempo/).", example: "tutordex-logs" },
      tempoBucket: { kind: "string", optional: true, check: bucketNameProblem, description: "Bucket for Tempo (required with endpoint).", example: "tutordex-traces" },
      forcePathStyle: { kind: "bool", default: false, description: "Path-style requests (host/bucket/key) instead of virtual-hosted (bucket.host/key); MinIO and most self-hosted stores need it." },
      insecure: { kind: "bool", default: false, description: "Plain http to the endpoint (a store inside the cluster without TLS). Off: https." },
      accessKeyId: { kind: "secret", optional: true, description: "Access key id (required with endpoint); reaches Loki and Tempo as an environment variable from a Secret, never in a config file.", example: "AKIA..." },
      secretAccessKey: { kind: "secret", optional: true, description: "Secret access key (required with endpoint); handled like accessKeyId." },
    },
  },
  logAgent: {
    kind: "enum",
    values: ["alloy", "promtail"],
    default: "alloy",
    description: "Log shipper: Grafana Alloy, or Promtail (end of life since 2026-03-02; kept for existing users).",
  },
  // Syslog input on the log agent (issue 16).
  syslog: {
    kind: "object",
    description: "Syslog input on the log agent (Alloy loki.source.syslog, Promtail's syslog scrape config): devices and hosts that log only through syslog ship to Loki, stream label `job=\"syslog\"`. The agent listens on 1514 inside the stack (a port above 1024 needs no capability): on Kubernetes on its Service (reachable from the namespaces in kubernetes.otlpNamespaceLabels), on Docker on the applications' network and published on `syslog.hostPort`.",
    fields: {
      enabled: { kind: "bool", default: false, description: "Listen for syslog messages." },
      protocols: {
        kind: "list",
        default: ["tcp"],
        items: { kind: "enum", values: ["tcp", "udp"], description: "A transport." },
        description: "Transports to listen on: `tcp` (octet-counted or newline-framed, as rsyslog's omfwd with TCP sends), `udp`, or both.",
        example: ["tcp", "udp"],
      },
      format: { kind: "enum", values: ["rfc5424", "rfc3164"], default: "rfc5424", description: "Message format the senders use: RFC 5424 (rsyslog's RSYSLOG_SyslogProtocol23Format, syslog-ng's syslog() driver), or the older BSD RFC 3164 (rsyslog's and most devices' default)." },
      hostPort: hostPort(1514, "the syslog input (TCP and/or UDP)"),
    },
  },
  tempo: {
    kind: "object",
    description: "Tempo trace store.",
    fields: {
      retention: { kind: "duration", default: "72h", description: "How long traces are kept." },
      storageGi: { kind: "int", min: 1, max: 10000, default: 10, description: "Persistent volume size (Kubernetes)." },
      expectedSpansPerSecond: { kind: "number", optional: true, min: 0.001, max: 1e9, description: "Sizing: spans ingested per second; with it, preview estimates Tempo's disk and refuses a storageGi that cannot hold the retention.", example: 200 },
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
      // Tracing for applications beyond OTLP, and sampling (issue 16).
      receivers: {
        kind: "object",
        description: "Trace receivers besides OTLP, for applications that still export Jaeger or Zipkin; each listens on its clients' default ports (published on the Docker host at the same numbers; on Kubernetes on the collector's Service, reachable from the namespaces in kubernetes.otlpNamespaceLabels).",
        fields: {
          jaeger: { kind: "bool", default: false, description: "Jaeger receiver: gRPC 14250, Thrift HTTP 14268, Thrift compact 6831/UDP and Thrift binary 6832/UDP (the Jaeger agent's ports)." },
          zipkin: { kind: "bool", default: false, description: "Zipkin receiver on 9411 (POST /api/v2/spans)." },
        },
      },
      sampling: {
        kind: "object",
        description: "Which traces reach Tempo, per stack (seed 002: 10 % in prod, 100 % in dev). Logs and metrics are never sampled.",
        fields: {
          mode: {
            kind: "enum",
            values: ["none", "head", "tail"],
            default: "none",
            description: "`none` keeps every trace; `head` keeps `percentage` % decided from the trace id (cheap, but errors are dropped like the rest); `tail` decides on the whole trace after `decisionWait`: errors (keepErrors) and slow traces (slowThresholdMs) are always kept, `percentage` % of the rest. Tail sampling needs every span of a trace on one collector: the stack runs exactly one.",
          },
          percentage: { kind: "number", min: 0, max: 100, default: 100, description: "Percentage of traces kept by chance (head and tail modes).", example: 10 },
          keepErrors: { kind: "bool", default: true, description: "Tail mode: keep every trace with a span whose status is ERROR." },
          slowThresholdMs: { kind: "int", min: 1, max: 3600000, optional: true, description: "Tail mode: keep every trace at least this long, in milliseconds. Unset: duration alone keeps no trace.", example: 1000 },
          decisionWait: { kind: "duration", default: "10s", description: "Tail mode: how long after a trace's first span the collector decides; spans of a trace arriving later are decided on their own. The collector holds every trace this long in memory." },
        },
      },
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
      hostPort: hostPort(3300, "Grafana (3300, where TutorDex's Grafana has always been)"),
      adminUser: { kind: "string", default: "admin", pattern: /^[A-Za-z0-9._-]+$/, patternHint: "letters, digits, '.', '_' and '-'", description: "Admin login (deploy mode)." },
      adminPassword: { kind: "secret", optional: true, description: "Admin password (deploy mode, at least 12 characters); a random 24-character one is generated when unset." },
      memoryLimitMb: memoryLimitMb(512),
      url: { kind: "string", optional: true, check: httpUrlProblem, description: "External mode: the Grafana (or Grafana Cloud stack) to configure.", example: "https://example.grafana.net" },
      apiToken: { kind: "secret", optional: true, description: "External mode: a service-account token with the Admin role (creating datasources needs it; Editor can only make folders and dashboards).", example: "glsa_..." },
      datasourceUrls: {
        kind: "object",
        description: "External mode: where the external Grafana reaches each service. It is not on the stack's network, so the stack-internal names do not resolve there; defaults are the services' published URLs (Docker host ports; on Kubernetes the Ingress of Prometheus and Alertmanager, which exists only with kubernetes.ingressAuthAnnotations, and which the external Grafana must pass, e.g. from an allowed source range). Loki and Tempo have no Ingress, so on Kubernetes they must be given, and Prometheus and Alertmanager too without ingressAuthAnnotations.",
        fields: {
          prometheus: { kind: "string", optional: true, check: httpUrlProblem, description: "Prometheus URL as the external Grafana reaches it.", example: "https://prometheus.obs.example.com" },
          loki: { kind: "string", optional: true, check: httpUrlProblem, description: "Loki URL as the external Grafana reaches it.", example: "https://loki.obs.example.com" },
          tempo: { kind: "string", optional: true, check: httpUrlProblem, description: "Tempo query URL as the external Grafana reaches it.", example: "https://tempo.obs.example.com" },
          alertmanager: { kind: "string", optional: true, check: httpUrlProblem, description: "Alertmanager URL as the external Grafana reaches it.", example: "https://alertmanager.obs.example.com" },
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
        description: "postgres-exporter (the database rule pack reads its metrics).",
        fields: {
          enabled: { kind: "bool", default: false, description: "Run postgres-exporter." },
          dataSourceName: { kind: "secret", optional: true, description: "Connection URI (required when enabled).", example: "postgresql://exporter:...@db:5432/postgres?sslmode=disable" },
          // Grafana PostgreSQL datasource (issue 16).
          grafana: {
            kind: "object",
            description: "A PostgreSQL datasource in Grafana (uid `postgres`) for the Database dashboard's index-usage and table-size panels. Created when the exporter is enabled and `host` is set. Use a read-only role, e.g. CREATE ROLE grafana_ro LOGIN PASSWORD '…'; GRANT pg_monitor, pg_read_all_data TO grafana_ro.",
            fields: {
              host: { kind: "string", optional: true, check: hostPortProblem, description: "Database server as host:port, as Grafana reaches it.", example: "db:5432" },
              database: { kind: "string", optional: true, pattern: /^[A-Za-z0-9_-]{1,63}$/, patternHint: "a database name (letters, digits, '_' and '-'; at most 63)", description: "Database to query (required with host).", example: "tutordex" },
              user: { kind: "string", optional: true, pattern: /^[A-Za-z0-9_-]{1,63}$/, patternHint: "a role name (letters, digits, '_' and '-'; at most 63)", description: "Read-only role Grafana logs in as (required with host).", example: "grafana_ro" },
              password: { kind: "secret", optional: true, description: "That role's password (required with host); reaches Grafana as a secret file, never in the provisioning file." },
              sslMode: { kind: "enum", values: ["disable", "require", "verify-ca", "verify-full"], default: "require", description: "libpq sslmode Grafana connects with." },
            },
          },
        },
      },
      redis: {
        kind: "object",
        description: "redis-exporter (the cache rule pack reads its metrics).",
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
        address: { kind: "string", check: hostPortProblem, description: "host:port serving metrics." , example: "backend:8000" },
        component: { kind: "string", pattern: /^[a-z0-9_-]+$/, patternHint: "lower-case letters, digits, '-' and '_'", description: "`component` label on the job's series. `collector`, `worker` and `backend` also name the TutorDex service whose metrics the contract expects here: that target's ServiceDown then mutes the alerts reading those metrics (Alertmanager inhibition)." , example: "backend" },
        metricsPath: { kind: "string", default: "/metrics", check: urlPathProblem, description: "Metrics path." },
        scrapeInterval: { kind: "duration", default: "15s", description: "Scrape interval." },
        expectedSeries: {
          kind: "int",
          optional: true,
          min: 1,
          max: 100000000,
          description: "Sizing: active series this target exports. Unset: estimated from the metrics contract for collector/worker/backend, 500 otherwise.",
          example: 2000,
        },
        healthPaths: {
          kind: "list",
          default: [],
          description: "Paths on `address` blackbox probes for a 2xx.",
          items: { kind: "string", check: urlPathProblem, description: "Health path." },
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
    description: "Further endpoints blackbox probes (outside services, status pages, DNS servers, hosts). Every probe over TLS (https URL, tls_connect) also gets certificate-expiry alerts (alerting.thresholds.certificateExpiry*).",
    uniqueBy: "name",
    default: [],
    example: [{ name: "website", url: "https://tutordex.example.com/" }],
    items: {
      kind: "object",
      description: "One probe.",
      fields: {
        name: { kind: "string", pattern: /^[a-z0-9_-]+$/, patternHint: "lower-case letters, digits, '-' and '_'", description: "Probe name (`probe` label)." , example: "website" },
        url: {
          kind: "string",
          // A host, host:port or an http(s) URL without spaces or control characters; which form each module needs: settings/probes.ts.
          check: probeTargetProblem,
          description: "What to probe: a URL for the http modules, a host for icmp, host:port for tcp_connect and tls_connect, the DNS server's host:port for dns.",
          example: "https://tutordex.example.com/",
        },
        module: {
          kind: "enum",
          values: PROBE_KINDS,
          default: "http_2xx",
          description: "Blackbox module: http_2xx (any 2xx), http_2xx_json (2xx with a JSON body), tcp_connect, tls_connect (TLS handshake, certificate checked), icmp (ping), dns (resolve dnsQueryName at the server in url).",
        },
        method: { kind: "enum", values: HTTP_PROBE_METHODS, default: "GET", description: "HTTP method (http modules)." },
        headers: {
          kind: "map",
          values: { kind: "string", description: "Header value." },
          description: "Request headers (http modules). Not for credentials: those go in bearerToken or basicAuthPassword, which are secrets.",
          example: { "X-Probe": "blackbox" },
        },
        bodyMustMatch: {
          kind: "list",
          default: [],
          items: { kind: "string", description: "A regular expression (RE2)." },
          description: "Regular expressions the response body must match (http modules); the probe fails otherwise (blackbox's `fail_if_not_matches_regexp`, e.g. `[success]`).",
          example: ["success"],
        },
        bearerToken: { kind: "secret", optional: true, description: "Token sent as `Authorization: Bearer` (http modules); mounted as a file, never in blackbox.yml." },
        basicAuthUser: { kind: "string", optional: true, description: "Basic-auth user (http modules); needs basicAuthPassword.", example: "probe" },
        basicAuthPassword: { kind: "secret", optional: true, description: "Basic-auth password (with basicAuthUser); mounted as a file, never in blackbox.yml." },
        dnsQueryName: { kind: "string", optional: true, pattern: /^[A-Za-z0-9_.-]+$/, patternHint: "a DNS name such as tutordex.com", description: "dns module: the name to resolve (required there).", example: "tutordex.com" },
        dnsQueryType: { kind: "enum", values: DNS_QUERY_TYPES, default: "A", description: "dns module: record type; the probe fails unless the server answers NOERROR with at least one record." },
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
        description: "Labels notifications are grouped by.",
      },
      rulePacks: {
        kind: "list",
        default: ["tutordex", "service", "host", "container", "probes", "kubernetes"],
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
            : // A `for` of 0s fires at once; a window of 0s selects nothing.
              { kind: "duration", allowZero: key.endsWith("For"), description: key };
        },
        description: "Overrides of rule thresholds and `for` durations (keys as in configs/prometheus/rules).",
        example: { llmFailureRatePerS: 0.5, queueOldestPendingFor: "45m" },
      },
      collectorStalledEnabled: { kind: "bool", default: false, description: "Ship CollectorStalled (off by default, as TutorDex runs it)." },
      severities: {
        kind: "map",
        values: { kind: "enum", values: ["critical", "warning"], description: "Severity." },
        description:
          "Severity of a single-tier Prometheus alert by name, replacing the catalog's (a team that pages on what TutorDex tickets). Alerts with warning and critical tiers (HighLatencyP95, HighErrorRate, ...) move by their thresholds in alerting.thresholds instead.",
        example: { RedisCacheHitRateLow: "critical" },
      },
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
          "Service level objectives: each becomes error-budget recording rules and multi-window burn-rate alerts (SLOErrorBudgetFastBurn pages, SLOErrorBudgetSlowBurn opens a ticket). Setting any switches the slo rule pack on.",
        example: [{ name: "backend-availability", objective: 99.9, window: "30d", kind: "availability", target: "tutordex_backend" }],
        items: {
          kind: "object",
          description: "One SLO.",
          fields: {
            name: { kind: "string", pattern: SLO_NAME_RE, patternHint: "lower-case letters, digits, '-' and '_'", description: "SLO name; the `slo` label of its series and alerts.", example: "backend-availability" },
            objective: { kind: "number", min: 0, max: 100, description: "Target in percent of good time or requests, strictly between 0 and 100 (TutorDex: 99.9).", example: 99.9 },
            window: { kind: "duration", default: "30d", description: "Compliance window the error budget is spread over (TutorDex: 30d)." },
            kind: {
              kind: "enum",
              values: SLI_KINDS,
              description:
                "availability: share of time the target's blackbox health probes succeed; errorRate: share of HTTP requests that are not 5xx; latency: share of HTTP requests faster than latencyThresholdSeconds; processingTime: share of worker jobs processed within latencyThresholdSeconds (worker_job_latency_seconds, TutorDex's processing_time SLI); queueLag: share of jobs picked up within latencyThresholdSeconds of being queued (worker_job_stage_latency_seconds{operation=\"queue_wait\"}, TutorDex's queue_lag SLI).",
            },
            target: {
              kind: "string",
              pattern: /^[a-zA-Z_][a-zA-Z0-9_-]*$/,
              patternHint: "a targets[] name (or, for availability, a probes[] name)",
              description: "What the SLO measures: a targets[] name (its job), or for availability also a probes[] name.",
              example: "tutordex_backend",
            },
            latencyThresholdSeconds: {
              kind: "number",
              optional: true,
              min: 0,
              max: 3600,
              description: "latency, processingTime and queueLag SLOs only: threshold in seconds, equal to a bucket boundary of the histogram the kind reads (http_request_duration_seconds, worker_job_latency_seconds, worker_job_stage_latency_seconds).",
              example: 2.5,
            },
            criticalBurnRate: { kind: "number", optional: true, min: 1, max: 10000, description: "Burn-rate multiple that pages; default alerting.thresholds.sloFastBurnRate (10x).", example: 14.4 },
            warningBurnRate: { kind: "number", optional: true, min: 1, max: 10000, description: "Burn-rate multiple that opens a ticket; default alerting.thresholds.sloSlowBurnRate (2x).", example: 3 },
          },
        },
      },
      runbookBaseUrl: {
        kind: "string",
        default: "https://github.com/tutordex/observability/blob/main/docs/runbooks",
        check: runbookBaseUrlProblem,
        description: "Where runbooks are published; alerts link to <base>/<AlertName>.md.",
      },
      maintenanceWindows: {
        kind: "list",
        uniqueBy: "name",
        default: [],
        description: "Recurring windows in which notifications are muted: of every severity and alert unless severities or matchers narrow it (planned work trips target-down alerts too); the Watchdog is never muted.",
        example: [
          { name: "sunday-maintenance", weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Singapore" },
          { name: "month-end-batch", daysOfMonth: ["-1"], times: [{ start: "22:00", end: "24:00" }], matchers: ['component="worker"'], severities: ["warning", "info"] },
        ],
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
            location: { kind: "string", default: "UTC", check: timeZoneProblem, description: "IANA time zone (case-sensitive).", example: "Asia/Singapore" },
            daysOfMonth: {
              kind: "list",
              default: [],
              items: { kind: "string", pattern: DAYS_OF_MONTH_RE, patternHint: "a day 1 to 31, or -31 to -1 counting from the month's end, or a range such as 1:7 or -7:-1", description: "Day of the month." },
              description: "Days of the month or ranges; negative days count from the month's end (-1 is the last day).",
              example: ["1:7"],
            },
            months: {
              kind: "list",
              default: [],
              items: { kind: "string", pattern: MONTHS_RE, patternHint: "a month (january or 1) or a range such as january:march", description: "Month." },
              description: "Months or ranges.",
              example: ["december"],
            },
            matchers: {
              kind: "list",
              default: [],
              items: { kind: "string", check: alertmanagerMatcherProblem, description: "One Alertmanager matcher." },
              description: "Mute only the alerts matching all of these (label=\"value\", !=, =~, !~); empty: every alert but the Watchdog.",
              example: ['component="worker"'],
            },
            severities: {
              kind: "list",
              default: [],
              items: { kind: "enum", values: ["critical", "warning", "info"], description: "An alert severity." },
              description: "Mute only these severities (alerts without a known severity count as warning); empty: every severity.",
              example: ["warning", "info"],
            },
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
