import * as crypto from "crypto";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DeployedService, ServiceSpec, Target } from "../target";

export interface KubernetesTargetArgs {
  readonly namespace: string;
  /** kubeconfig context; current context when unset. */
  readonly context?: string;
  readonly storageClass?: string;
  readonly ingressClass?: string;
  readonly ingressDomain?: string;
  readonly tlsSecretName?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Services that discover others through the Kubernetes API, and what they need to read. */
const DISCOVERY_RULES: Readonly<Record<string, k8s.types.input.rbac.v1.PolicyRule[]>> = {
  prometheus: [
    { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
  ],
  alloy: [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }],
  promtail: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
};

/**
 * Kubernetes: a namespace; per service a ConfigMap and Secret (mounted as
 * projected volumes per directory), a workload of the spec's kind, a Service,
 * persistent volumes for state, and an Ingress for user-facing ports when
 * configured. Workloads run non-root where the spec allows, with all
 * capabilities dropped and the RuntimeDefault seccomp profile.
 */
export class KubernetesTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "kubernetes" as const;
  readonly namespace: k8s.core.v1.Namespace;
  private readonly provider: k8s.Provider;

  constructor(
    name: string,
    private readonly args: KubernetesTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("observability:target:Kubernetes", name, {}, opts);
    this.provider = new k8s.Provider(`${name}-provider`, { context: args.context, namespace: args.namespace }, { parent: this });
    this.namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, labels: { ...args.labels, "pod-security.kubernetes.io/enforce": "privileged" } } },
      { parent: this, provider: this.provider },
    );
    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }

  deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
    const opts: pulumi.CustomResourceOptions = { parent, provider: this.provider, dependsOn: [this.namespace] };
    const ns = this.args.namespace;
    const selector = { "app.kubernetes.io/name": spec.name, "app.kubernetes.io/instance": "observability" };
    const labels = { ...this.args.labels, ...selector, "app.kubernetes.io/component": "observability" };
    const meta = (name: string) => ({ name, namespace: ns, labels });

    // Files grouped by directory: one projected volume per directory, so ConfigMap updates reach the pod.
    const dirs = new Map<string, { config: { key: string; path: string }[]; secret: { key: string; path: string }[] }>();
    const keyOf = (mountPath: string) => mountPath.replace(/^\//, "").replace(/[^A-Za-z0-9._-]/g, "_");
    const entry = (mountPath: string) => {
      const dir = path.posix.dirname(mountPath);
      const e = dirs.get(dir) ?? { config: [], secret: [] };
      dirs.set(dir, e);
      return e;
    };
    for (const c of spec.configs) entry(c.mountPath).config.push({ key: keyOf(c.mountPath), path: path.posix.basename(c.mountPath) });
    for (const s of spec.secrets) entry(s.mountPath).secret.push({ key: keyOf(s.mountPath), path: path.posix.basename(s.mountPath) });

    const configData = Object.fromEntries(spec.configs.map((c) => [keyOf(c.mountPath), c.file.content]));
    const configMap =
      spec.configs.length > 0 ? new k8s.core.v1.ConfigMap(`${spec.name}-config`, { metadata: meta(`${spec.name}-config`), data: configData }, opts) : undefined;
    const secretData: Record<string, pulumi.Input<string>> = {
      ...Object.fromEntries(spec.secrets.map((s) => [keyOf(s.mountPath), s.content])),
      ...Object.fromEntries(Object.entries(spec.secretEnv ?? {}).map(([k, v]) => [`env-${k}`, v])),
    };
    const secret =
      Object.keys(secretData).length > 0
        ? new k8s.core.v1.Secret(`${spec.name}-secret`, { metadata: meta(`${spec.name}-secret`), type: "Opaque", stringData: pulumi.secret(secretData) }, opts)
        : undefined;

    const discovery = DISCOVERY_RULES[spec.name];
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${spec.name}-sa`,
      { metadata: meta(spec.name), automountServiceAccountToken: discovery !== undefined },
      opts,
    );
    if (discovery) {
      const role = new k8s.rbac.v1.ClusterRole(`${spec.name}-discovery`, { metadata: { name: `${ns}-${spec.name}-discovery`, labels }, rules: discovery }, opts);
      new k8s.rbac.v1.ClusterRoleBinding(
        `${spec.name}-discovery`,
        {
          metadata: { name: `${ns}-${spec.name}-discovery`, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
          subjects: [{ kind: "ServiceAccount", name: spec.name, namespace: ns }],
        },
        opts,
      );
    }

    // A config change rolls the pods (issue 4 replaces this with a reloader sidecar
    // for services that can reload in place).
    const configHash = crypto.createHash("sha256").update(JSON.stringify(configData)).digest("hex").slice(0, 16);
    const [uid, gid] = (spec.user ?? "65534:65534").split(":").map(Number);
    const root = uid === 0;
    const volumes: k8s.types.input.core.v1.Volume[] = [
      ...[...dirs.entries()].map(([, e], i) => ({
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
    ];
    const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [
      ...[...dirs.keys()].map((dir, i) => ({ name: `files-${i}`, mountPath: dir, readOnly: true })),
      ...(spec.hostMounts ?? []).map((m, i) => ({ name: `host-${i}`, mountPath: m.mountPath, readOnly: m.readOnly })),
      ...spec.volumes.map((v) => ({ name: v.name, mountPath: v.mountPath })),
      { name: "tmp", mountPath: "/tmp" },
    ];
    const probe = spec.health ? { httpGet: { path: spec.health.path, port: spec.health.port } } : undefined;
    const container: k8s.types.input.core.v1.Container = {
      name: spec.name,
      image: spec.image,
      args: spec.args ? [...spec.args] : undefined,
      env: [
        ...Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
        ...(spec.nodeNameEnv ? [{ name: spec.nodeNameEnv, valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] : []),
        ...Object.keys(spec.secretEnv ?? {}).map((name) => ({ name, valueFrom: { secretKeyRef: { name: `${spec.name}-secret`, key: `env-${name}` } } })),
      ],
      ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.port })),
      volumeMounts,
      readinessProbe: probe && { ...probe, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: probe && { ...probe, periodSeconds: 30, failureThreshold: 5, initialDelaySeconds: 30 },
      resources: {
        requests: { cpu: `${spec.resources.cpuRequestMillis}m`, memory: `${Math.ceil(spec.resources.memoryLimitMb / 2)}Mi` },
        limits: { memory: `${spec.resources.memoryLimitMb}Mi` },
      },
      securityContext: {
        allowPrivilegeEscalation: spec.privileged ?? false,
        privileged: spec.privileged ?? false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: !root,
        runAsUser: uid,
        runAsGroup: gid,
        capabilities: { drop: ["ALL"] },
      },
    };
    const podSpec: k8s.types.input.core.v1.PodSpec = {
      serviceAccountName: spec.name,
      automountServiceAccountToken: discovery !== undefined,
      hostPID: spec.hostNamespaces ?? false,
      hostNetwork: spec.hostNamespaces ?? false,
      securityContext: { fsGroup: gid, seccompProfile: { type: "RuntimeDefault" } },
      containers: [container],
      volumes,
    };
    const template = {
      metadata: { labels, annotations: { "observability/config-hash": configHash } },
      spec: podSpec,
    };
    const dependsOn = [serviceAccount, ...(configMap ? [configMap] : []), ...(secret ? [secret] : [])];
    const workloadOpts = { ...opts, dependsOn: [...(opts.dependsOn as pulumi.Resource[]), ...dependsOn] };
    const storage = (sizeGi: number) => ({
      accessModes: ["ReadWriteOnce"],
      storageClassName: this.args.storageClass,
      resources: { requests: { storage: `${sizeGi}Gi` } },
    });

    let workload: pulumi.Resource;
    if (spec.workload === "statefulset") {
      new k8s.core.v1.Service(`${spec.name}-headless`, {
        metadata: meta(`${spec.name}-headless`),
        spec: { clusterIP: "None", selector, publishNotReadyAddresses: true, ports: spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name })) },
      }, opts);
      workload = new k8s.apps.v1.StatefulSet(spec.name, {
        metadata: meta(spec.name),
        spec: {
          serviceName: `${spec.name}-headless`,
          replicas: spec.replicas ?? 1,
          selector: { matchLabels: selector },
          podManagementPolicy: "Parallel",
          template: template,
          volumeClaimTemplates: spec.volumes.map((v) => ({ metadata: { name: v.name, labels }, spec: storage(v.sizeGi) })),
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        },
      }, workloadOpts);
    } else {
      for (const v of spec.volumes) {
        volumes.push({ name: v.name, emptyDir: {} });
      }
      workload =
        spec.workload === "daemonset"
          ? new k8s.apps.v1.DaemonSet(spec.name, { metadata: meta(spec.name), spec: { selector: { matchLabels: selector }, template } }, workloadOpts)
          : new k8s.apps.v1.Deployment(spec.name, { metadata: meta(spec.name), spec: { replicas: spec.replicas ?? 1, selector: { matchLabels: selector }, template } }, workloadOpts);
    }

    new k8s.core.v1.Service(`${spec.name}-service`, {
      metadata: meta(spec.name),
      spec: { selector, ports: spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name })) },
    }, opts);

    const { ingressClass, ingressDomain, tlsSecretName } = this.args;
    const hostFor = (portName: string) => (ingressDomain ? `${spec.name}.${ingressDomain}` : portName);
    const userFacing = spec.ports.filter((p) => p.userFacing);
    if (ingressClass && ingressDomain && userFacing.length > 0) {
      new k8s.networking.v1.Ingress(`${spec.name}-ingress`, {
        metadata: meta(spec.name),
        spec: {
          ingressClassName: ingressClass,
          tls: tlsSecretName ? [{ hosts: [hostFor(userFacing[0].name)], secretName: tlsSecretName }] : undefined,
          rules: [{ host: hostFor(userFacing[0].name), http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: spec.name, port: { name: userFacing[0].name } } } }] } }],
        },
      }, opts);
    }

    return {
      resource: workload,
      externalUrl: (portName: string) => {
        const port = spec.ports.find((p) => p.name === portName);
        if (!port) throw new Error(`service ${spec.name} has no port named ${portName}`);
        if (port.userFacing && ingressClass && ingressDomain) return pulumi.output(`${tlsSecretName ? "https" : "http"}://${hostFor(portName)}`);
        return pulumi.output(`kubectl -n ${ns} port-forward svc/${spec.name} ${port.port}:${port.port}`);
      },
    };
  }
}
