import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { headlessServiceName, SERVICES } from "../../configs/topology";
import { topDirectories, type ApiReadRule, type DeployedService, type ServicePort, type ServiceSpec, type Target } from "../target";
import { ingressFor, publicUrl } from "../../configs/addressing";
import { KUBERNETES_PROFILE } from "./profile";
import { configMapKey } from "./limits";
import { nodeNamespaceOf } from "./namespaces";
import { egressRulesFor, INSTANCE, INSTANCE_LABEL, ingressRulesFor, NAME_LABEL, peersOf } from "./network-policies";
import { API_TOKEN_MOUNT, API_TOKEN_VOLUME, rbacProxySidecar } from "./rbac-proxy";
import { reloaderSidecar } from "./reloader";

export interface KubernetesTargetArgs {
  /** Namespace of the stack; Pod Security level `restricted`. */
  readonly namespace: string;
  /**
   * Namespace of the node agents that need the host (node-exporter, log
   * agents), Pod Security level `privileged`. Default `<namespace>-node`.
   */
  readonly nodeNamespace?: string;
  /** Namespace of the ingress controller: the only outside source allowed to reach user-facing ports. */
  readonly ingressNamespace: string;
  /** DNS suffix of the cluster (`cluster.local`), for names that cross namespaces. */
  readonly clusterDomain: string;
  /** kubeconfig context; current context when unset. */
  readonly context?: string;
  readonly storageClass?: string;
  readonly ingressClass?: string;
  readonly ingressDomain?: string;
  readonly tlsSecretName?: string;
  /** cert-manager ClusterIssuer that issues each Ingress host a certificate (Secret `<service>-tls`). */
  readonly certManagerClusterIssuer?: string;
  /**
   * Annotations on the Ingresses of services without a login of their own
   * (Prometheus, Alertmanager) that make the controller authenticate; those
   * get no Ingress without them (port-forward instead). Default: none.
   */
  readonly ingressAuthAnnotations?: Readonly<Record<string, string>>;
  /** Labels of the namespaces whose pods may send OTLP to the collector. */
  readonly otlpNamespaceLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A component's declared API read access as a ClusterRole rule, in the order it declared them. */
function policyRule(r: ApiReadRule): k8s.types.input.rbac.v1.PolicyRule {
  return "nonResourceURLs" in r
    ? { nonResourceURLs: [...r.nonResourceURLs], verbs: [...r.verbs] }
    : { apiGroups: [r.apiGroup], resources: [...r.resources], verbs: [...r.verbs] };
}

/**
 * A pod that cannot meet the `restricted` Pod Security Standard: it shares
 * the host's namespaces, mounts a host path, is privileged, or runs as root.
 * Such pods run in the node namespace; everything else in the main one.
 */
export function needsHostAccess(spec: ServiceSpec): boolean {
  const uid = Number((spec.user ?? "65534:65534").split(":")[0]);
  return Boolean(spec.hostNamespaces) || Boolean(spec.privileged) || (spec.hostMounts ?? []).length > 0 || uid === 0;
}

/** Where a node agent keeps a volume on its node: `/var/lib/<namespace>/<service>-<volume>`. */
export const nodeStatePath = (namespace: string, service: string, volume: string) => `/var/lib/${namespace}/${service}-${volume}`;

/**
 * Which files volumes a reload sidecar may watch (only those made of ConfigMaps, and only when the service
 * has a reload endpoint) and the config the pods must roll for instead (everything in the other volumes).
 * Volumes are in the order of `filesMounts`; `config` keys are ConfigMap keys (configMapKey).
 */
export function splitForReloader(
  spec: Pick<ServiceSpec, "reload">,
  volumes: readonly { config: readonly { key: string }[]; secret: readonly unknown[] }[],
  filesMounts: readonly k8s.types.input.core.v1.VolumeMount[],
  configData: Readonly<Record<string, string>>,
): { watchedMounts: k8s.types.input.core.v1.VolumeMount[]; rolledConfig: Record<string, string> } {
  const watched = volumes.map((v) => spec.reload !== undefined && v.secret.length === 0);
  const watchedKeys = new Set(volumes.flatMap((v, i) => (watched[i] ? v.config.map((c) => c.key) : [])));
  return {
    watchedMounts: filesMounts.filter((_, i) => watched[i]),
    rolledConfig: Object.fromEntries(Object.entries(configData).filter(([k]) => !watchedKeys.has(k))),
  };
}

const sha = (v: unknown) => crypto.createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);

/** Where one service is deployed: its namespace, labels and resource options. */
interface Placement {
  /** In the node namespace (it needs the host). */
  readonly onNode: boolean;
  readonly ns: string;
  readonly opts: pulumi.CustomResourceOptions;
  /** The pod selector: name and instance labels. */
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly meta: (name: string) => { name: string; namespace: string; labels: Record<string, string> };
}

/** Top-most file directory -> the ConfigMap and Secret keys projected into it, with their paths in it. */
type FileLayout = Map<string, { config: { key: string; path: string }[]; secret: { key: string; path: string }[] }>;

/** The service's account and what it may do with the API. */
interface ApiAccess {
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** It reads the API (declared `apiRead`): its container gets the account's token. */
  readonly readsApi: boolean;
  /** Ports served through kube-rbac-proxy. */
  readonly proxied: readonly ServicePort[];
}

interface PodTemplate {
  /** Undefined for a DaemonSet. */
  readonly replicas: number | undefined;
  readonly template: k8s.types.input.core.v1.PodTemplateSpec;
}

/**
 * Files grouped under their top-most directory: one projected volume per such directory,
 * subdirectories as item paths. (Nested mounts inside a read-only ConfigMap volume fail:
 * the runtime cannot create the mount point.) Whole-volume mounts, never subPath, so
 * updated content reaches the running pod.
 */
function fileLayout(spec: ServiceSpec): FileLayout {
  const roots = topDirectories([...spec.configs, ...spec.secrets].map((f) => f.mountPath));
  const dirs: FileLayout = new Map(roots.map((r) => [r, { config: [], secret: [] }]));
  const entry = (mountPath: string) => {
    const root = roots.find((r) => mountPath.startsWith(`${r}/`));
    if (!root) throw new Error(`${spec.name}: no volume for ${mountPath}`);
    return { e: dirs.get(root)!, rel: mountPath.slice(root.length + 1) };
  };
  for (const c of spec.configs) {
    const { e, rel } = entry(c.mountPath);
    e.config.push({ key: configMapKey(c.mountPath), path: rel });
  }
  for (const s of spec.secrets) {
    const { e, rel } = entry(s.mountPath);
    e.secret.push({ key: configMapKey(s.mountPath), path: rel });
  }
  return dirs;
}

/** The pod's volumes (files, host paths, scratch, API token, node agents' state) and the main container's mounts. */
function podVolumes(
  d: Placement,
  spec: ServiceSpec,
  layout: FileLayout,
  access: ApiAccess,
): { filesMounts: k8s.types.input.core.v1.VolumeMount[]; volumes: k8s.types.input.core.v1.Volume[]; volumeMounts: k8s.types.input.core.v1.VolumeMount[] } {
  const { proxied, readsApi } = access;
  const filesMounts: k8s.types.input.core.v1.VolumeMount[] = [...layout.keys()].map((dir, i) => ({ name: `files-${i}`, mountPath: dir, readOnly: true }));
  const volumes: k8s.types.input.core.v1.Volume[] = [
    ...[...layout.entries()].map(([, e], i) => ({
      name: `files-${i}`,
      projected: {
        sources: [
          ...(e.config.length ? [{ configMap: { name: `${spec.name}-config`, items: e.config } }] : []),
          ...(e.secret.length ? [{ secret: { name: `${spec.name}-secret`, items: e.secret } }] : []),
        ],
      },
    })),
    ...(spec.hostMounts ?? []).map((m, i) => ({ name: `host-${i}`, hostPath: { path: m.hostPath } })),
    { name: "tmp", emptyDir: {} },
    ...(spec.scratchDirs ?? []).map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })),
    ...(readsApi || proxied.length > 0 ? [API_TOKEN_VOLUME] : []),
    // A StatefulSet's data volumes are its claims; elsewhere a node agent's state (Promtail's read positions)
    // outlives its pod on the node's own disk where the namespace admits host paths, so a rollout neither
    // re-ships nor skips lines; otherwise it lives with the pod.
    ...(spec.workload === "statefulset"
      ? []
      : spec.volumes.map((v) =>
          spec.workload === "daemonset" && d.onNode
            ? { name: v.name, hostPath: { path: nodeStatePath(d.ns, spec.name, v.name), type: "DirectoryOrCreate" } }
            : { name: v.name, emptyDir: {} },
        )),
  ];
  const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [
    ...filesMounts,
    // Read-only host views follow mounts the host makes later (new disks for node-exporter).
    ...(spec.hostMounts ?? []).map((m, i) => ({ name: `host-${i}`, mountPath: m.mountPath, readOnly: m.readOnly, ...(m.readOnly ? { mountPropagation: "HostToContainer" } : {}) })),
    ...spec.volumes.map((v) => ({ name: v.name, mountPath: v.mountPath })),
    { name: "tmp", mountPath: "/tmp" },
    ...(spec.scratchDirs ?? []).map((dir, i) => ({ name: `scratch-${i}`, mountPath: dir })),
    ...(readsApi ? [API_TOKEN_MOUNT] : []),
  ];
  return { filesMounts, volumes, volumeMounts };
}

type Probe = k8s.types.input.core.v1.Probe;

/** The service's own container: image, arguments, environment, ports (not those its proxy serves), limits, locked down. */
function mainContainer(
  spec: ServiceSpec,
  user: { uid: number; gid: number },
  proxied: readonly ServicePort[],
  volumeMounts: k8s.types.input.core.v1.VolumeMount[],
  probes: { readiness?: Probe; liveness?: Probe },
): k8s.types.input.core.v1.Container {
  return {
    name: spec.name,
    image: spec.image,
    command: spec.entrypoint ? [...spec.entrypoint] : undefined,
    args: spec.args ? [...spec.args] : undefined,
    env: [
      ...Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
      ...(spec.nodeNameEnv ? [{ name: spec.nodeNameEnv, valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] : []),
      ...(spec.podIpEnv ? [{ name: spec.podIpEnv, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }] : []),
      ...(spec.podNameEnv ? [{ name: spec.podNameEnv, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] : []),
      ...Object.keys(spec.secretEnv ?? {}).map((name) => ({ name, valueFrom: { secretKeyRef: { name: `${spec.name}-secret`, key: `env-${name}` } } })),
    ],
    // A proxied port is declared by its proxy, which serves it on the pod's address.
    ports: spec.ports.filter((p) => !proxied.includes(p)).map((p) => ({ name: p.name, containerPort: p.port, ...(p.protocol === "UDP" ? { protocol: "UDP" } : {}) })),
    volumeMounts,
    readinessProbe: probes.readiness && { ...probes.readiness, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: probes.liveness && { ...probes.liveness, periodSeconds: 30, failureThreshold: 5, initialDelaySeconds: 30 },
    // Memory is limited (it cannot be reclaimed); CPU is requested but not capped, so bursts
    // (rule evaluation, compaction) are not throttled while the node has spare cycles.
    resources: {
      requests: { cpu: `${spec.resources.cpuRequestMillis}m`, memory: `${Math.ceil(spec.resources.memoryLimitMb / 2)}Mi` },
      limits: { memory: `${spec.resources.memoryLimitMb}Mi` },
    },
    securityContext: {
      allowPrivilegeEscalation: spec.privileged ?? false,
      privileged: spec.privileged ?? false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: user.uid !== 0,
      runAsUser: user.uid,
      runAsGroup: user.gid,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/** The service's ports on its Service (and headless Service), by name. */
function servicePorts(spec: ServiceSpec): k8s.types.input.core.v1.ServicePort[] {
  return spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? "TCP" }));
}

/**
 * Kubernetes: two namespaces (the stack at Pod Security `restricted`, node
 * agents that need the host at `privileged`), each denying ingress by
 * default; per service a ConfigMap and Secret (projected volumes per
 * directory), a workload of the spec's kind, a Service, persistent volumes
 * for state, a NetworkPolicy admitting exactly the peers of the FLOWS table,
 * a PodDisruptionBudget when replicated, and an Ingress for user-facing
 * ports when configured (for services without their own login only behind
 * the configured authentication annotations). Services with a reload endpoint get a reloader
 * sidecar watching their ConfigMap-only volumes (never a Secret); everything else rolls the pods.
 */
export class KubernetesTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "kubernetes" as const;
  readonly profile = KUBERNETES_PROFILE;
  readonly reloadsInPlace = true;
  readonly namespace: k8s.core.v1.Namespace;
  readonly nodeNamespace: k8s.core.v1.Namespace;
  private readonly provider: k8s.Provider;
  private readonly nodeNamespaceName: string;
  /** ExternalName Services already created in the node namespace. */
  private readonly aliases = new Set<string>();
  /** Key of the restart hash over secrets (a Pulumi secret): the annotation reveals nothing to guess a weak secret from. */
  private readonly restartHashKey: pulumi.Output<string>;

  constructor(
    name: string,
    private readonly args: KubernetesTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("observability:target:Kubernetes", name, {}, opts);
    this.nodeNamespaceName = nodeNamespaceOf(args);
    this.provider = new k8s.Provider(`${name}-provider`, { context: args.context, namespace: args.namespace }, { parent: this });
    this.restartHashKey = new random.RandomPassword(`${name}-restart-hash-key`, { length: 32, special: false }, { parent: this }).result;
    const child = { parent: this, provider: this.provider };
    const podSecurity = (level: string, warn: string) => ({
      "pod-security.kubernetes.io/enforce": level,
      "pod-security.kubernetes.io/audit": warn,
      "pod-security.kubernetes.io/warn": warn,
    });
    this.namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, labels: { ...args.labels, ...podSecurity("restricted", "restricted") } } },
      child,
    );
    // Host PID/network, host paths and root are what these agents are for; the
    // namespace admits them and nothing else is deployed there.
    this.nodeNamespace = new k8s.core.v1.Namespace(
      `${name}-node-namespace`,
      { metadata: { name: this.nodeNamespaceName, labels: { ...args.labels, ...podSecurity("privileged", "privileged") } } },
      child,
    );
    for (const [ns, resource] of [[args.namespace, this.namespace], [this.nodeNamespaceName, this.nodeNamespace]] as const) {
      new k8s.networking.v1.NetworkPolicy(
        `${ns}-default-deny-ingress`,
        {
          metadata: { name: "default-deny-ingress", namespace: ns, labels: args.labels },
          // Every pod, no ingress rule: only what a per-service policy admits gets in.
          spec: { podSelector: {}, policyTypes: ["Ingress"] },
        },
        { ...child, dependsOn: [resource] },
      );
    }
    this.registerOutputs({ namespace: this.namespace.metadata.name, nodeNamespace: this.nodeNamespace.metadata.name });
  }

  /**
   * One service: its files (ConfigMap, Secret), API access (account, roles), workload, Service, disruption
   * budget, Ingress, network policies and, in the node namespace, aliases of its peers. Resources are
   * registered in this order (the order render's plan lists them in).
   */
  deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
    const d = this.placement(spec, parent);
    const layout = fileLayout(spec);
    const { configMap, configData } = this.configMap(d, spec);
    const { secret, secretFiles, secretEnv } = this.secret(d, spec);
    const access = this.apiAccess(d, spec);
    const pod = this.podTemplate(d, spec, layout, access, { configData, secretFiles, secretEnv });
    const workload = this.workload(d, spec, pod, [access.serviceAccount, ...(configMap ? [configMap] : []), ...(secret ? [secret] : [])]);
    this.disruptionBudget(d, spec, pod.replicas);
    this.service(d, spec);
    const published = this.ingress(d, spec);
    this.networkPolicies(d, spec, published !== undefined, access.readsApi || access.proxied.length > 0);
    this.peerAliases(d, spec);
    return {
      resource: workload,
      externalUrl: (portName: string) => {
        const port = spec.ports.find((p) => p.name === portName);
        if (!port) throw new Error(`service ${spec.name} has no port named ${portName}`);
        if (port.userFacing && published) return pulumi.output(published.url);
        return pulumi.output(`kubectl -n ${d.ns} port-forward svc/${spec.name} ${port.port}:${port.port}`);
      },
    };
  }

  /** Which namespace the service runs in (node agents that need the host: the node namespace), its labels and options. */
  private placement(spec: ServiceSpec, parent: pulumi.Resource): Placement {
    const onNode = needsHostAccess(spec);
    const ns = onNode ? this.nodeNamespaceName : this.args.namespace;
    const opts: pulumi.CustomResourceOptions = { parent, provider: this.provider, dependsOn: [onNode ? this.nodeNamespace : this.namespace] };
    const selector = { [NAME_LABEL]: spec.name, [INSTANCE_LABEL]: INSTANCE };
    const labels = { ...this.args.labels, ...selector, "app.kubernetes.io/component": "observability" };
    return { onNode, ns, opts, selector, labels, meta: (name: string) => ({ name, namespace: ns, labels }) };
  }

  /** The service's config files in one ConfigMap (keyed by configMapKey). */
  private configMap(d: Placement, spec: ServiceSpec): { configMap?: k8s.core.v1.ConfigMap; configData: Record<string, string> } {
    const configData = Object.fromEntries(spec.configs.map((c) => [configMapKey(c.mountPath), c.file.content]));
    const configMap =
      spec.configs.length > 0 ? new k8s.core.v1.ConfigMap(`${spec.name}-config`, { metadata: d.meta(`${spec.name}-config`), data: configData }, d.opts) : undefined;
    return { configMap, configData };
  }

  /** Its secret files and secret environment in one Secret (environment keys prefixed `env-`). */
  private secret(
    d: Placement,
    spec: ServiceSpec,
  ): { secret?: k8s.core.v1.Secret; secretFiles: Record<string, pulumi.Input<string>>; secretEnv: Record<string, pulumi.Input<string>> } {
    const secretFiles = Object.fromEntries(spec.secrets.map((s) => [configMapKey(s.mountPath), s.content]));
    const secretEnv = Object.fromEntries(Object.entries(spec.secretEnv ?? {}).map(([k, v]) => [`env-${k}`, v]));
    const secretData: Record<string, pulumi.Input<string>> = { ...secretFiles, ...secretEnv };
    const secret =
      Object.keys(secretData).length > 0
        ? new k8s.core.v1.Secret(
            `${spec.name}-secret`,
            // Each value a secret (not the whole map), so the manifest keeps its shape with values masked.
            { metadata: d.meta(`${spec.name}-secret`), type: "Opaque", stringData: Object.fromEntries(Object.entries(secretData).map(([k, v]) => [k, pulumi.secret(v)])) },
            d.opts,
          )
        : undefined;
    return { secret, secretFiles, secretEnv };
  }

  /**
   * The service account; for ports behind kube-rbac-proxy the right to have callers reviewed; and a
   * ClusterRole with exactly what the component declares it reads from the API (`spec.apiRead`).
   */
  private apiAccess(d: Placement, spec: ServiceSpec): ApiAccess {
    const rules = (spec.apiRead ?? []).map(policyRule);
    const readsApi = rules.length > 0;
    const proxied = spec.ports.filter((p) => spec.authenticatedPorts?.includes(p.name));
    if (proxied.length !== (spec.authenticatedPorts ?? []).length) throw new Error(`${spec.name}: authenticatedPorts names a port it does not have`);
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${spec.name}-sa`,
      // The kubelet mounts no token on its own: the API token volume goes only into the containers that call the API.
      { metadata: d.meta(spec.name), automountServiceAccountToken: false },
      d.opts,
    );
    const subjects = [{ kind: "ServiceAccount", name: spec.name, namespace: d.ns }];
    if (proxied.length > 0) {
      // kube-rbac-proxy asks the API server to authenticate (TokenReview) and authorise (SubjectAccessReview)
      // each caller: exactly what the built-in system:auth-delegator role grants.
      new k8s.rbac.v1.ClusterRoleBinding(
        `${spec.name}-auth-delegator`,
        {
          metadata: { name: `${d.ns}-${spec.name}-auth-delegator`, labels: d.labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
          subjects,
        },
        d.opts,
      );
    }
    if (readsApi) {
      const roleName = `${d.ns}-${spec.name}-read`;
      const role = new k8s.rbac.v1.ClusterRole(`${spec.name}-read`, { metadata: { name: roleName, labels: d.labels }, rules }, d.opts);
      new k8s.rbac.v1.ClusterRoleBinding(
        `${spec.name}-read`,
        {
          metadata: { name: roleName, labels: d.labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
          subjects,
        },
        d.opts,
      );
    }
    return { serviceAccount, readsApi, proxied };
  }

  /** The pod: the container, its sidecars (kube-rbac-proxy, reloader), volumes, probes and security context. */
  private podTemplate(
    d: Placement,
    spec: ServiceSpec,
    layout: FileLayout,
    access: ApiAccess,
    data: { configData: Record<string, string>; secretFiles: Record<string, pulumi.Input<string>>; secretEnv: Record<string, pulumi.Input<string>> },
  ): PodTemplate {
    const { proxied } = access;
    const [uid, gid] = (spec.user ?? "65534:65534").split(":").map(Number);
    const root = uid === 0;
    const { filesMounts, volumes, volumeMounts } = podVolumes(d, spec, layout, access);

    // Reload in place where the service can; roll the pods for what it cannot re-read. The reloader sees
    // only volumes made of ConfigMaps, never a Secret (receiver tokens, passwords): a volume that holds one
    // (Alertmanager's config with inline bot tokens) and every secret file roll the pods instead, by the hash.
    const { watchedMounts, rolledConfig } = splitForReloader(spec, [...layout.values()], filesMounts, data.configData);
    const sidecar = watchedMounts.length > 0 ? reloaderSidecar(spec.reload!, watchedMounts) : undefined;
    const restartHash = this.restartHash(rolledConfig, data.secretEnv, data.secretFiles);

    // A port behind kube-rbac-proxy answers the kubelet only with a token; the process listens on loopback, so
    // it is probed from inside its container instead (the image's wget, as on Docker).
    const behindProxy = (port: number) => proxied.some((p) => p.port === port);
    const httpProbe = (check: { path: string; port: number }) => {
      if (!behindProxy(check.port)) return { httpGet: { path: check.path, port: check.port }, timeoutSeconds: 5 };
      if (!spec.health?.dockerTest) throw new Error(`${spec.name}: a port behind kube-rbac-proxy needs an in-container health command`);
      return { exec: { command: spec.health.dockerTest.slice(1) }, timeoutSeconds: 5 };
    };
    const probe = spec.health ? httpProbe(spec.health) : undefined;
    const liveProbe = spec.health?.live ? httpProbe(spec.health.live) : probe;
    const container = mainContainer(spec, { uid, gid }, proxied, volumeMounts, { readiness: probe, liveness: liveProbe });
    const replicas = spec.workload === "daemonset" ? undefined : spec.replicas ?? 1;
    const podSpec: k8s.types.input.core.v1.PodSpec = {
      serviceAccountName: spec.name,
      automountServiceAccountToken: false,
      // No Docker-links-style variables for every Service in the namespace.
      enableServiceLinks: false,
      hostPID: spec.hostNamespaces ?? false,
      hostNetwork: spec.hostNamespaces ?? false,
      ...(spec.hostNamespaces ? { dnsPolicy: "ClusterFirstWithHostNet" } : {}),
      securityContext: {
        fsGroup: gid,
        runAsNonRoot: !root,
        seccompProfile: { type: "RuntimeDefault" },
        ...(spec.sysctls ? { sysctls: Object.entries(spec.sysctls).map(([name, value]) => ({ name, value })) } : {}),
      },
      containers: [container, ...proxied.map(rbacProxySidecar), ...(sidecar ? [sidecar] : [])],
      // A per-node agent belongs on every node, tainted ones (control plane, dedicated pools) included.
      ...(spec.workload === "daemonset" ? { tolerations: [{ operator: "Exists" }] } : {}),
      volumes,
      // Replicas on different nodes, so one node's loss keeps the service up.
      ...(replicas && replicas > 1
        ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: d.selector } }] }
        : {}),
    };
    return {
      replicas,
      template: { metadata: { labels: d.labels, annotations: { "observability/restart-hash": restartHash } }, spec: podSpec },
    };
  }

  /** The workload of the spec's kind (a StatefulSet with its headless Service and claims, a DaemonSet or a Deployment). */
  private workload(d: Placement, spec: ServiceSpec, pod: PodTemplate, needs: pulumi.Resource[]): pulumi.Resource {
    const { replicas, template } = pod;
    const workloadOpts = { ...d.opts, dependsOn: [...(d.opts.dependsOn as pulumi.Resource[]), ...needs] };
    const selector = { matchLabels: d.selector };
    if (spec.workload === "statefulset") {
      const headless = headlessServiceName(spec.name);
      new k8s.core.v1.Service(headless, {
        metadata: d.meta(headless),
        spec: { clusterIP: "None", selector: d.selector, publishNotReadyAddresses: true, ports: servicePorts(spec) },
      }, d.opts);
      return new k8s.apps.v1.StatefulSet(spec.name, {
        metadata: d.meta(spec.name),
        spec: {
          serviceName: headless,
          replicas,
          selector,
          podManagementPolicy: "Parallel",
          template: template,
          volumeClaimTemplates: spec.volumes.map((v) => ({
            metadata: { name: v.name, labels: d.labels },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: this.args.storageClass, resources: { requests: { storage: `${v.sizeGi}Gi` } } },
          })),
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        },
      }, workloadOpts);
    }
    return spec.workload === "daemonset"
      ? new k8s.apps.v1.DaemonSet(spec.name, { metadata: d.meta(spec.name), spec: { selector, template } }, workloadOpts)
      : new k8s.apps.v1.Deployment(spec.name, { metadata: d.meta(spec.name), spec: { replicas, selector, template } }, workloadOpts);
  }

  /** With replicas, a drain takes one at a time; the others keep serving (and, for Alertmanager, keep the cluster's state). */
  private disruptionBudget(d: Placement, spec: ServiceSpec, replicas: number | undefined): void {
    if (!(replicas && replicas > 1)) return;
    new k8s.policy.v1.PodDisruptionBudget(`${spec.name}-pdb`, {
      metadata: d.meta(spec.name),
      spec: { maxUnavailable: 1, selector: { matchLabels: d.selector } },
    }, d.opts);
  }

  private service(d: Placement, spec: ServiceSpec): void {
    new k8s.core.v1.Service(`${spec.name}-service`, {
      metadata: d.meta(spec.name),
      spec: { selector: d.selector, ports: servicePorts(spec) },
    }, d.opts);
  }

  /**
   * An Ingress only where one is configured and the service may be published (configs/addressing.ts:
   * Grafana has its own login; Prometheus and Alertmanager need the controller's authentication).
   */
  private ingress(d: Placement, spec: ServiceSpec): { url: string } | undefined {
    const { ingressClass, tlsSecretName, certManagerClusterIssuer } = this.args;
    const userFacing = spec.ports.filter((p) => p.userFacing);
    const published = userFacing.length > 0 ? ingressFor(this.args, spec.name) : undefined;
    if (!published) return undefined;
    const host = this.ingressHost(spec.name);
    const issued = certManagerClusterIssuer !== undefined;
    const tlsSecret = tlsSecretName ?? (issued ? `${spec.name}-tls` : undefined);
    const all = { ...published.annotations, ...(issued ? { "cert-manager.io/cluster-issuer": certManagerClusterIssuer } : {}) };
    const annotations = Object.keys(all).length > 0 ? all : undefined;
    new k8s.networking.v1.Ingress(`${spec.name}-ingress`, {
      metadata: { ...d.meta(spec.name), ...(annotations ? { annotations } : {}) },
      spec: {
        ingressClassName: ingressClass,
        tls: tlsSecret ? [{ hosts: [host], secretName: tlsSecret }] : undefined,
        rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: spec.name, port: { name: userFacing[0].name } } } }] } }],
      },
    }, d.opts);
    return published;
  }

  /**
   * Ingress: the FLOWS peers (and the controller, when an Ingress serves the service). Egress, in the
   * stack's namespace: DNS, the FLOWS peers and the API server, unless the service must reach applications
   * or the outside (spec.egress). Host-network node agents are beyond any NetworkPolicy.
   */
  private networkPolicies(d: Placement, spec: ServiceSpec, published: boolean, callsApi: boolean): void {
    const stackNamespaces = [this.args.namespace, this.nodeNamespaceName];
    const ingress = ingressRulesFor(spec, {
      stackNamespaces,
      // The controller reaches only what an Ingress actually serves.
      ingressNamespace: published ? this.args.ingressNamespace : undefined,
      applicationNamespaceLabels: this.args.otlpNamespaceLabels,
    });
    if (ingress.rules.length > 0) {
      new k8s.networking.v1.NetworkPolicy(`${spec.name}-ingress-policy`, {
        metadata: { ...d.meta(spec.name), annotations: { "observability/allows": ingress.reasons.join("; ") } },
        spec: { podSelector: { matchLabels: d.selector }, policyTypes: ["Ingress"], ingress: ingress.rules },
      }, d.opts);
    }
    const egress = d.onNode ? undefined : egressRulesFor(spec, { stackNamespaces, callsApi });
    if (egress) {
      new k8s.networking.v1.NetworkPolicy(`${spec.name}-egress-policy`, {
        metadata: { ...d.meta(`${spec.name}-egress`), annotations: { "observability/allows": egress.reasons.join("; ") } },
        spec: { podSelector: { matchLabels: d.selector }, policyTypes: ["Egress"], egress: egress.rules },
      }, d.opts);
    }
  }

  /**
   * Config files address peers by short name (`http://loki:3100`); from the node namespace those names
   * resolve through ExternalName aliases to the main one (one per peer, however many agents use it).
   */
  private peerAliases(d: Placement, spec: ServiceSpec): void {
    if (!d.onNode) return;
    for (const peer of peersOf(spec.name)) {
      const name = SERVICES[peer].name;
      if (this.aliases.has(name)) continue;
      this.aliases.add(name);
      new k8s.core.v1.Service(`${name}-alias`, {
        metadata: { name, namespace: d.ns, labels: this.args.labels },
        spec: { type: "ExternalName", externalName: `${name}.${this.args.namespace}.svc.${this.args.clusterDomain}` },
      }, { parent: this, provider: this.provider, dependsOn: [this.nodeNamespace] });
    }
  }

  publicUrl(service: string, port: ServicePort): string {
    return publicUrl({ publishing: this.profile.publishing, docker: { bindAddress: "" }, kubernetes: this.args }, service, port);
  }

  private ingressHost(service: string): string {
    return `${service}.${this.args.ingressDomain}`;
  }

  /**
   * Digest of what no reloader applies (config outside the volumes a reloader
   * watches, every secret file, and environment from secrets),
   * as a pod annotation: when it changes, the pods roll. Where secrets go in,
   * the digest is an HMAC under the stack's restart-hash key, shown in the
   * clear: a secret-marked annotation would make the whole pod spec secret,
   * unreviewable in a diff.
   */
  private restartHash(
    config: Record<string, string>,
    secretEnv: Record<string, pulumi.Input<string>>,
    secretFiles: Record<string, pulumi.Input<string>>,
  ): pulumi.Input<string> {
    if (Object.keys(secretEnv).length + Object.keys(secretFiles).length === 0) return sha({ config });
    // Keyed, it changes whenever a secret does, yet no one who reads the pod template can test guesses of a weak
    // password against it (a plain or even a slow hash would allow that offline).
    return pulumi.unsecret(
      pulumi
        .all([this.restartHashKey, pulumi.all(secretEnv), pulumi.all(secretFiles)])
        .apply(([key, env, files]) => crypto.createHmac("sha256", key).update(JSON.stringify({ config, env, files })).digest("hex").slice(0, 16)),
    );
  }
}
