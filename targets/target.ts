import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import type { PlatformProfile } from "../configs/platform";

/**
 * What runs, independent of where: components describe a service with this
 * shape and hand it to a target, which decides how (Docker container and
 * volumes, or Kubernetes workload, Service, ConfigMap and PVC).
 */
export interface ServiceSpec {
  /** DNS name peers use (`prometheus`); also the base of every resource name. */
  readonly name: string;
  /** Exact image reference from versions.ts. */
  readonly image: string;
  /** Replaces the image's entrypoint (Docker `entrypoint`, Kubernetes `command`); the image's own when unset. */
  readonly entrypoint?: readonly string[];
  /** Arguments to the image's entrypoint. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables whose values are Pulumi secrets. */
  readonly secretEnv?: Readonly<Record<string, pulumi.Output<string>>>;
  readonly ports: readonly ServicePort[];
  /** Config files, mounted read-only. */
  readonly configs: readonly MountedConfig[];
  /**
   * Secret files, mounted read-only with mode 0400 where the target allows. Keep them in a directory of their
   * own, outside the config directories: on Kubernetes a directory holding a secret is a volume no reload
   * sidecar may watch, so a change there rolls the pods instead of reloading.
   */
  readonly secrets: readonly MountedSecret[];
  /** State that must survive replacement and upgrades. */
  readonly volumes: readonly DataVolume[];
  /** Host paths (exporters and log agents read the node). */
  readonly hostMounts?: readonly HostMount[];
  readonly health?: HealthCheck;
  readonly resources: Resources;
  /** Kubernetes workload kind; Docker runs one container regardless. */
  readonly workload: "deployment" | "statefulset" | "daemonset";
  /** Replicas for deployments and statefulsets (Kubernetes). */
  readonly replicas?: number;
  /** Numeric uid:gid the process runs as; the image's default when unset. */
  readonly user?: string;
  /** Needs the host's PID namespace and network (node-exporter). */
  readonly hostNamespaces?: boolean;
  /** cAdvisor needs privileged access to read cgroups and devices. */
  readonly privileged?: boolean;
  /** Namespaced kernel settings of the container's namespaces (only ones Kubernetes deems safe). Default none. */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Variable set to the node's name (Kubernetes Downward API), for per-node agents. */
  readonly nodeNameEnv?: string;
  /**
   * Variable set to the pod's IP (Kubernetes Downward API `status.podIP`),
   * which args can use as `$(NAME)`. Docker ignores it.
   */
  readonly podIpEnv?: string;
  /**
   * Variable set to the pod's name (Kubernetes Downward API `metadata.name`), which args can use as
   * `$(NAME)`: a StatefulSet replica telling itself apart (Loki's main compactor, Prometheus' `replica`
   * external label). Docker ignores it (one container).
   */
  readonly podNameEnv?: string;
  /** Endpoint that applies a changed config without a restart (POST). */
  readonly reload?: { readonly path: string; readonly port: number };
  /**
   * Cluster-wide read access the process needs from the Kubernetes API
   * (Prometheus' discovery, the log agents' pod discovery, kube-state-metrics):
   * read verbs only, by type. The Kubernetes target grants exactly this as a
   * ClusterRole; Docker ignores it.
   */
  readonly apiRead?: readonly ApiReadRule[];
  /**
   * Networks the service needs besides its peers in the stack (Docker; on Kubernetes the FLOWS table
   * decides who may connect). Default: only the stack's own network. See NetworkRole.
   */
  readonly networks?: readonly NetworkRole[];
  /**
   * Opens connections beyond the stack's own services: to applications or the outside (Prometheus'
   * scrapes, blackbox probes, Alertmanager's receivers, the DB/cache exporters). Docker: a route out;
   * Kubernetes: no egress policy. Everything else may reach only DNS, its FLOWS peers and, when it calls
   * the API, the API server.
   */
  readonly egress?: boolean;
  /** Writable scratch directories on an otherwise read-only root filesystem; `/tmp` always is one. */
  readonly scratchDirs?: readonly string[];
  /**
   * Kubernetes: serve these ports only to callers the API server authenticates and authorises
   * (kube-rbac-proxy: TLS, TokenReview + SubjectAccessReview for `GET <path>`); the component makes the process
   * listen on 127.0.0.1 at the same port there. Docker ignores it: there the port is only on the stack's
   * internal network.
   */
  readonly authenticatedPorts?: readonly string[];
  /** Short description for labels and annotations. */
  readonly description: string;
}

/**
 * Where a Docker container is reachable from, beyond the stack's internal network:
 * - `stack`: the stack's own network (internal: no route out, no published ports); every service but the
 *   Docker API proxy is on it.
 * - `applications`: the network applications join (`docker.networkName`): only what must reach them or
 *   be reached by them (Prometheus scraping, blackbox probing, the collector's OTLP, the DB/cache exporters).
 * - `docker-api`: the private network between the read-only Docker API proxy and its clients.
 */
export type NetworkRole = "stack" | "applications" | "docker-api";

/**
 * Read access to some API resources, or to non-resource URLs of the API
 * server and the components that delegate authorisation to it (`/metrics`):
 * a ClusterRole rule on Kubernetes.
 */
export type ApiReadRule =
  | {
      /** API group; "" is the core group. */
      readonly apiGroup: string;
      readonly resources: readonly string[];
      readonly verbs: readonly ("get" | "list" | "watch")[];
    }
  | { readonly nonResourceURLs: readonly string[]; readonly verbs: readonly "get"[] };

// A service's ports are a fact of the topology (configs/), shared with the config builders that open them.
import type { ServicePort } from "../configs/topology";
export type { ServicePort } from "../configs/topology";

export interface MountedConfig {
  readonly mountPath: string;
  readonly file: ConfigFile;
}

export interface MountedSecret {
  readonly mountPath: string;
  readonly content: pulumi.Output<string>;
  /** Where render writes the masked placeholder, relative to the render root. */
  readonly renderPath: string;
}

export interface DataVolume {
  /** Short name (`data`); the target prefixes the service name. */
  readonly name: string;
  readonly mountPath: string;
  /** Size of the persistent volume claim (Kubernetes). */
  readonly sizeGi: number;
}

export interface HostMount {
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface HealthCheck {
  /** HTTP GET that answers 200 when the service is ready. */
  readonly path: string;
  readonly port: number;
  /**
   * Liveness (Kubernetes): an HTTP GET that answers 200 while the process works, even before it is
   * ready. Prometheus replaying a large WAL is alive but not ready for minutes; a liveness probe on
   * its readiness endpoint would kill it in a loop. Default: the readiness check.
   */
  readonly live?: { readonly path: string; readonly port: number };
  /**
   * Command the Docker engine runs inside the container; absent where the
   * image has no shell or HTTP client (distroless images), in which case
   * Prometheus' `up` for the job is the health signal on Docker.
   */
  readonly dockerTest?: readonly string[];
}

export interface Resources {
  readonly memoryLimitMb: number;
  /** CPU request in millicores (Kubernetes scheduling). */
  readonly cpuRequestMillis: number;
}

/** What a target returns for a deployed service. */
export interface DeployedService {
  /** The resource other services depend on (container or workload). */
  readonly resource: pulumi.Resource;
  /** URL a person uses from outside, for a `userFacing` or published port. */
  externalUrl(portName: string): pulumi.Output<string>;
}

/** How services run: one implementation per platform, one folder each. */
export interface Target {
  readonly kind: "docker" | "kubernetes";
  /** What the platform offers (container metrics, log source, discovery, replicas...), for everything outside targets/. */
  readonly profile: PlatformProfile;
  /**
   * Whether a changed config reaches a running service in place (Kubernetes: reloader sidecars POST the
   * service's reload endpoint). Docker replaces the container instead, so no reload endpoint is needed
   * there and Prometheus runs without `--web.enable-lifecycle` (which would also open `POST /-/quit`).
   */
  readonly reloadsInPlace: boolean;
  deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService;
  /**
   * The address a person opens for `port` of service `service`, as a plain
   * string (it goes into config files such as Alertmanager's links): the
   * published port on Docker, the ingress host on Kubernetes, or the local
   * end of `kubectl port-forward` when no ingress serves the port.
   */
  publicUrl(service: string, port: ServicePort): string;
}

/** `wget` health command for images that ship busybox or wget. */
export function wgetHealth(path: string, port: number): HealthCheck {
  return { path, port, dockerTest: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}${path}`] };
}

/**
 * The top-most directories holding the given file paths (a directory nested in another is covered by
 * it): one volume each, with the nested ones as paths inside.
 */
export function topDirectories(filePaths: readonly string[]): string[] {
  const dirs = [...new Set(filePaths.map((p) => p.slice(0, p.lastIndexOf("/")) || "/"))];
  return dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}/`))).sort();
}
