/**
 * What a target (targets/docker, targets/kubernetes) tells the rest of the
 * program about the platform it runs on: data, not code, so rule packs,
 * components, config builders and sizing read a capability ("container
 * metrics come from the kubelet") instead of testing the platform's name.
 * A new target exports one of these; nothing else learns its name.
 */
export interface PlatformProfile {
  /** The target's name (stack config `target`), for messages and file names only. */
  readonly kind: "docker" | "kubernetes";
  /** Where container metrics come from: a cAdvisor the stack runs, or each kubelet's built-in cAdvisor (discovered). */
  readonly containerMetrics: "cadvisor" | "kubelet";
  /** kube-state-metrics runs and is the source of object state (restarts, rollouts); otherwise container start times are. */
  readonly objectState: boolean;
  /** Where the log agent reads container logs: the engine's API, or the node's pod log files. */
  readonly logSource: "docker-api" | "pod-log-files";
  /** How Prometheus finds each replica: by the service's name, or every pod through the Kubernetes API. */
  readonly discovery: "service-name" | "kubernetes-api";
  /** Node agents (log agent, node-exporter) run once per node and learn the node's name from their environment. */
  readonly perNodeAgents: boolean;
  /** Node agents share the node's network, where no network policy applies: their ports are served behind an authenticating proxy. */
  readonly nodeAgentsAuthenticated: boolean;
  /** Clustered services may run several replicas (a single host runs one of each). */
  readonly replicas: boolean;
  /** Volumes have a size of their own (PersistentVolumeClaims): stores cap their data by size too, and sizing compares against it. */
  readonly sizedVolumes: boolean;
  /**
   * Containers the stack runs whatever the config says, for sizing the series cAdvisor reports on
   * them (optional exporters, Grafana's mode and applications are counted apart); undefined where
   * container metrics scale with the cluster's pods instead.
   */
  readonly stackContainers?: number;
  /** Stacks here are production whatever their name (a shared cluster): missing receivers are warned about. */
  readonly alwaysProduction: boolean;
  /** Config files ship in ConfigMaps, which the API server caps at 1 MiB each: their size is checked before deploy. */
  readonly configMaps: boolean;
  /**
   * How people reach a service from outside the stack: each user-facing port on a host port of its own
   * (checked for clashes before deploy), or through an Ingress (`kubectl port-forward` without one).
   */
  readonly publishing: "host-ports" | "ingress";
  /** The stack runs in namespaces of its own (the stack's, the node agents'): their names are checked before deploy. */
  readonly namespaces: boolean;
  /**
   * The platform is a cluster whose own components (API server, kubelets, cluster DNS) are monitored
   * too: their scrape jobs, the kubernetes rule pack and the cluster dashboards ship.
   */
  readonly clusterComponents: boolean;
  /** How an operator's tools (npm run backup/restore) run a command in a stack container: `docker exec`, or `kubectl exec` in the cluster. */
  readonly containerExec: "docker" | "kubectl";
}
