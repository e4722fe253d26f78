import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";

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
  /** Arguments to the image's entrypoint. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables whose values are Pulumi secrets. */
  readonly secretEnv?: Readonly<Record<string, pulumi.Output<string>>>;
  readonly ports: readonly ServicePort[];
  /** Config files, mounted read-only. */
  readonly configs: readonly MountedConfig[];
  /** Secret files, mounted read-only with mode 0400 where the target allows. */
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
  /** Endpoint that applies a changed config without a restart (POST). */
  readonly reload?: { readonly path: string; readonly port: number };
  /**
   * Cluster-wide read access the process needs from the Kubernetes API
   * (kube-state-metrics). Read verbs only, by type; Docker ignores it.
   */
  readonly apiRead?: readonly ApiReadRule[];
  /** Short description for labels and annotations. */
  readonly description: string;
}

/** Read access to some API resources: a ClusterRole rule on Kubernetes. */
export interface ApiReadRule {
  /** API group; "" is the core group. */
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly ("get" | "list" | "watch")[];
}

export interface ServicePort {
  /** IANA-style port name (`http`, `otlp-grpc`). */
  readonly name: string;
  readonly port: number;
  /** Published on the Docker host at this port (Docker target only). */
  readonly hostPort?: number;
  /**
   * A person opens this in a browser: Ingress on Kubernetes when configured
   * (for a service without its own login only with authentication
   * annotations; see targets/public-url.ts).
   */
  readonly userFacing?: boolean;
}

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
