import * as pulumi from "@pulumi/pulumi";
import { DOCKER_API_PROXY } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, ServiceComponent } from "./service-component";

/**
 * Sections of the Docker engine API the proxy lets through, GET only (tecnativa/docker-socket-proxy:
 * `<SECTION>=1` allows paths under it; `POST=0` refuses every other method). Everything else answers 403.
 */
export const DOCKER_API_SECTIONS: Readonly<Record<string, string>> = {
  // Log agent: list, inspect and follow the logs of containers. cAdvisor: inspect containers.
  CONTAINERS: "log agent and cAdvisor: list and inspect containers, follow their logs",
  // The log agent's Docker discovery labels targets with their networks.
  NETWORKS: "log agent: container network labels (discovery)",
  // cAdvisor's Docker factory reads the storage driver and root directory at start.
  INFO: "cAdvisor: storage driver and Docker root directory",
  VERSION: "clients negotiate the API version",
  PING: "clients negotiate the API version",
};

/**
 * Sections this image allows by default or that mean anything beyond reading (exec, start/stop, images,
 * volumes...), each turned off explicitly so a changed image default cannot open them.
 */
const DENIED = [
  "POST", "ALLOW_RESTARTS", "ALLOW_START", "ALLOW_STOP", "AUTH", "BUILD", "COMMIT", "CONFIGS", "DISTRIBUTION",
  "EVENTS", "EXEC", "GRPC", "IMAGES", "NODES", "PLUGINS", "SECRETS", "SERVICES", "SESSION", "SWARM", "SYSTEM",
  "TASKS", "VOLUMES",
];

/**
 * Docker only: the one container that mounts the engine's socket. A read-only mount of the socket does
 * not make the API read-only (any client could start a privileged container), so the log agent and
 * cAdvisor read the API through this proxy instead, on a network only they share with it.
 */
export class DockerApiProxy extends ServiceComponent {
  constructor(name: string, args: ComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:DockerApiProxy", name, args.target, {
      name: DOCKER_API_PROXY.name,
      description: "Read-only Docker API proxy",
      image: IMAGES.dockerSocketProxy,
      env: {
        ...Object.fromEntries(Object.keys(DOCKER_API_SECTIONS).map((k) => [k, "1"])),
        ...Object.fromEntries(DENIED.map((k) => [k, "0"])),
        // Listen on IPv4 only: binding [::] fails where the container has no IPv6.
        DISABLE_IPV6: "1",
        LOG_LEVEL: "warning",
      },
      ports: [{ name: "http", port: DOCKER_API_PROXY.port }],
      configs: [],
      secrets: [],
      volumes: [],
      hostMounts: [{ hostPath: "/var/run/docker.sock", mountPath: "/var/run/docker.sock", readOnly: true }],
      // The entrypoint writes haproxy.cfg to /tmp and HAProxy its pid file to /run.
      scratchDirs: ["/run"],
      networks: ["docker-api"],
      health: wgetHealth("/_ping", DOCKER_API_PROXY.port),
      resources: { memoryLimitMb: 64, cpuRequestMillis: 10 },
      workload: "deployment",
      replicas: 1,
      // The socket belongs to root (group docker); root without capabilities can open it, nothing more.
      user: "0:0",
    }, opts);
  }
}
