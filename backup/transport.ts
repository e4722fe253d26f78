/**
 * How `npm run backup` / `npm run restore` reach a service's container: the
 * host command lines that run a command inside it and restart it. Built from
 * the names the program gives the resources (targets/docker:
 * `<networkName>-<service>`; Kubernetes: StatefulSet `<service>` in the stack's
 * namespace, pod `<service>-0`, container `<service>`), so a backup finds what
 * `pulumi up` created. Pure: nothing here runs anything.
 */
import { dockerContainerName } from "../targets/docker";

/** The stateful services a backup covers (SERVICES names in configs/topology.ts). */
export type BackupService = "prometheus" | "alertmanager" | "grafana";

export interface ExecOptions {
  /** The command reads the local file the runner feeds it on stdin (`docker exec -i`, `kubectl exec -i`). */
  readonly stdin?: boolean;
}

export interface Transport {
  /** `docker` or `kubernetes` (or a test's own). */
  readonly kind: string;
  /** Host argv that runs `command` inside the service's container. */
  exec(service: BackupService, command: readonly string[], options?: ExecOptions): string[];
  /** Host argvs, in order, that restart the service and wait until it is back; empty when the caller restarts it. */
  restart(service: BackupService): string[][];
}

/** Docker (stack `dev`): the containers targets/docker creates. */
export function dockerTransport(networkName: string): Transport {
  const container = (service: BackupService) => dockerContainerName(networkName, service);
  return {
    kind: "docker",
    exec: (service, command, options = {}) => ["docker", "exec", ...(options.stdin ? ["-i"] : []), container(service), ...command],
    restart: (service) => [["docker", "restart", container(service)]],
  };
}

export interface KubernetesLocation {
  readonly namespace: string;
  /** kubeconfig context; the current one when unset. */
  readonly context?: string;
}

/**
 * Kubernetes (stack `prod`): every stateful service is a StatefulSet named
 * after it (targets/kubernetes), so its first pod is `<service>-0` and the
 * container is `<service>`. Alertmanager replicas gossip silences, so one
 * replica is enough to read or write them.
 */
export function kubernetesTransport(where: KubernetesLocation): Transport {
  const kubectl = ["kubectl", ...(where.context ? ["--context", where.context] : []), "-n", where.namespace];
  return {
    kind: "kubernetes",
    exec: (service, command, options = {}) => [...kubectl, "exec", ...(options.stdin ? ["-i"] : []), statefulSetPod(service, 0), "-c", service, "--", ...command],
    restart: (service) => [
      [...kubectl, "rollout", "restart", `statefulset/${service}`],
      [...kubectl, "rollout", "status", `statefulset/${service}`, "--timeout=10m"],
    ],
  };
}

/** Pod `ordinal` of a StatefulSet (Kubernetes names them `<statefulset>-<ordinal>`). */
export function statefulSetPod(statefulSet: string, ordinal: number): string {
  return `${statefulSet}-${ordinal}`;
}
