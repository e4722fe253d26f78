/**
 * Exporter and sidecar flags against their upstream sources (no binary of
 * these versions runs here).
 *
 * Sources:
 * - google/cadvisor container/factory.go: the metric kinds (`AllMetrics`) and
 *   `MetricSet.Set`, which starts from an empty set; cmd/cadvisor.go: the
 *   default `ignoreMetrics` that a `--disable_metrics` value replaces.
 * - kubernetes/kube-state-metrics docs/developer/cli-arguments.md: `--port`
 *   (8080), `--telemetry-port` (8081), `--resources` and its default list.
 * - prometheus/node_exporter collector/filesystem_linux.go (1.12):
 *   `defMountPointsExcluded` = ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/),
 *   replaced (not extended) by `--collector.filesystem.mount-points-exclude`. Checked live with
 *   Debian's node-exporter 1.5 and tmpfs mounts under a fake --path.rootfs: a PVC mount under
 *   /var/lib/kubelet/pods/... and a CSI globalmount are dropped, / and /data kept.
 * - jimmidyson/configmap-reload README.md: `-volume-dir` (repeatable),
 *   `-webhook-url`, `-webhook-method`, `-web.listen-address` (default :9533).
 */
import { CADVISOR_DISABLED_METRICS, KUBE_STATE_METRICS_RESOURCES, NODE_EXPORTER_MOUNT_POINTS_EXCLUDE } from "../../components/exporters";
import { RELOADER_PORT, reloaderSidecar } from "../../targets/kubernetes/reloader";
import { IMAGES } from "../../versions";

const CADVISOR_METRIC_KINDS = [
  "cpu", "sched", "percpu", "memory", "memory_numa", "cpuLoad", "diskIO", "disk", "network", "tcp", "advtcp", "udp",
  "app", "process", "hugetlb", "perf_event", "referenced_memory", "cpu_topology", "resctrl", "cpuset", "oom_event",
];
const CADVISOR_DEFAULT_DISABLED = [
  "memory_numa", "tcp", "udp", "advtcp", "sched", "process", "hugetlb", "referenced_memory", "cpu_topology", "resctrl", "cpuset",
];
/** What the dashboards and rules read from cAdvisor: CPU, memory, network, container start times. */
const CADVISOR_NEEDED = ["cpu", "memory", "network"];

const KSM_DEFAULT_RESOURCES =
  "certificatesigningrequests,configmaps,cronjobs,daemonsets,deployments,endpointslices,horizontalpodautoscalers,ingresses,jobs,leases,limitranges,mutatingwebhookconfigurations,namespaces,networkpolicies,nodes,persistentvolumeclaims,persistentvolumes,poddisruptionbudgets,pods,replicasets,replicationcontrollers,resourcequotas,secrets,services,statefulsets,storageclasses,validatingwebhookconfigurations,volumeattachments".split(",");

const CONFIGMAP_RELOAD_FLAGS = ["volume-dir", "web.listen-address", "web.telemetry-path", "webhook-method", "webhook-status-code", "webhook-url", "webhook-retries"];

describe("cAdvisor --disable_metrics", () => {
  it("names only metric kinds cAdvisor knows (an unknown one stops it at start)", () => {
    expect(CADVISOR_DISABLED_METRICS.filter((m) => !CADVISOR_METRIC_KINDS.includes(m))).toEqual([]);
  });

  it("keeps cAdvisor's own default-off groups off, since the flag replaces rather than extends them", () => {
    expect(CADVISOR_DEFAULT_DISABLED.filter((m) => !CADVISOR_DISABLED_METRICS.includes(m))).toEqual([]);
  });

  it("leaves on what the dashboards and rules read", () => {
    expect(CADVISOR_NEEDED.filter((m) => CADVISOR_DISABLED_METRICS.includes(m))).toEqual([]);
  });
});

describe("kube-state-metrics --resources", () => {
  const resources = Object.values(KUBE_STATE_METRICS_RESOURCES).flat();

  it("lists only resources kube-state-metrics knows, and never secrets or configmaps", () => {
    expect(resources.filter((r) => !KSM_DEFAULT_RESOURCES.includes(r))).toEqual([]);
    expect(resources).not.toContain("secrets");
    expect(resources).not.toContain("configmaps");
  });

  it("grants each resource in its real API group (the ClusterRole is built from the same map)", () => {
    expect(KUBE_STATE_METRICS_RESOURCES["apps"]).toEqual(expect.arrayContaining(["deployments", "statefulsets", "daemonsets", "replicasets"]));
    expect(KUBE_STATE_METRICS_RESOURCES["networking.k8s.io"]).toEqual(["ingresses", "networkpolicies"]);
    expect(KUBE_STATE_METRICS_RESOURCES["policy"]).toEqual(["poddisruptionbudgets"]);
    expect(KUBE_STATE_METRICS_RESOURCES[""]).toContain("pods");
  });
});

describe("configmap-reload sidecar", () => {
  const c = reloaderSidecar({ path: "/-/reload", port: 9090 }, [
    { name: "config", mountPath: "/etc/prometheus" },
    { name: "rules", mountPath: "/etc/prometheus/rules" },
  ]);
  const args = (c.args ?? []) as string[];

  it("uses only flags configmap-reload has, in --flag=value form", () => {
    const flags = args.map((a) => /^--([a-z.-]+)=/.exec(a)?.[1]);
    expect(flags.filter((f) => f === undefined || !CONFIGMAP_RELOAD_FLAGS.includes(f))).toEqual([]);
  });

  it("watches every mounted directory and POSTs the service's reload endpoint over loopback", () => {
    expect(args.filter((a) => a.startsWith("--volume-dir="))).toEqual(["--volume-dir=/etc/prometheus", "--volume-dir=/etc/prometheus/rules"]);
    expect(args).toContain("--webhook-url=http://127.0.0.1:9090/-/reload");
    expect(args).toContain("--webhook-method=POST");
    expect(args).toContain(`--web.listen-address=:${RELOADER_PORT}`);
    expect(RELOADER_PORT).toBe(9533);
    expect(c.image).toBe(IMAGES.configReloader);
  });
});

describe("node-exporter --collector.filesystem.mount-points-exclude", () => {
  // Go's RE2 and JavaScript agree on this regex's syntax (alternation, anchors, `.+`).
  const re = new RegExp(NODE_EXPORTER_MOUNT_POINTS_EXCLUDE);
  const UPSTREAM_DEFAULT = ["/dev", "/proc", "/sys", "/run/credentials/systemd-sysctl.service", "/var/lib/docker/overlay2/abc/merged", "/var/lib/containers/storage/overlay"];

  it("keeps every mount point node-exporter 1.12 excludes by default excluded (the flag replaces the default)", () => {
    for (const m of UPSTREAM_DEFAULT) expect([m, re.test(m)]).toEqual([m, true]);
  });

  it("drops the kubelet's pod volume and CSI globalmount mounts, one per PVC", () => {
    for (const m of [
      "/var/lib/kubelet/pods/5f1c/volumes/kubernetes.io~csi/pvc-123/mount",
      "/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/0a1b/globalmount",
      "/var/lib/kubelet/pods/5f1c/volume-subpaths/data/prometheus/0",
    ]) {
      expect([m, re.test(m)]).toEqual([m, true]);
    }
  });

  it("still reports the node's own filesystems, a separate /var/lib/kubelet disk included", () => {
    for (const m of ["/", "/boot", "/home", "/data", "/var", "/var/lib/kubelet", "/var/lib/kubeletx", "/mnt/disk1"]) expect([m, re.test(m)]).toEqual([m, false]);
  });
});
