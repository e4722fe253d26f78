import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { topDirectories, type DeployedService, type NetworkRole, type ServicePort, type ServiceSpec, type Target } from "../target";
import { publicUrl } from "../../configs/addressing";
import { DOCKER_PROFILE } from "./profile";

/** A service's container name (`<networkName>-<service>`); npm run backup execs into it by this name. */
export function dockerContainerName(networkName: string, service: string): string {
  return `${networkName}-${service}`;
}

export interface DockerTargetArgs {
  /**
   * The applications' network: applications join it to be scraped and probed by name and to send OTLP.
   * Only the services that deal with applications join it too; the stack's other traffic stays on the
   * internal network `<networkName>-internal`.
   */
  readonly networkName: string;
  /** Host address published ports bind to (127.0.0.1 keeps the stack off the LAN). */
  readonly bindAddress: string;
  /** Docker daemon address; provider default when unset. */
  readonly host?: string;
  /** Labels on every container, network and volume. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * RLIMIT_NPROC of every container (see the README's Security section). Not a per-container cgroup pids limit:
 * @pulumi/docker 5.2.0, the newest on npm, has no such Container field. The kernel counts a uid's processes
 * and threads host-wide (containers share the host's user namespace) and exempts uid 0.
 */
export const DOCKER_NPROC_LIMIT = 4096;

/** Size of each writable scratch directory (tmpfs) on a read-only root filesystem. */
const SCRATCH_TMPFS = "rw,noexec,nosuid,nodev,size=64m";

/**
 * Docker: four networks, one container per service, one named volume per
 * piece of state.
 *
 * Networks: every service sits on `<networkName>-internal` (internal: no
 * route out); the applications' network `<networkName>` carries only the
 * services that deal with applications (NetworkRole); `<networkName>-edge`
 * (no application joins it) carries what publishes a port on the host or
 * sends out (Alertmanager's receivers), since Docker publishes no port and
 * routes nothing from an internal network; `<networkName>-docker-api` joins
 * the read-only Docker API proxy with its clients only.
 *
 * Containers: every capability dropped, `no-new-privileges`, read-only root
 * filesystem (tmpfs `/tmp`), bounded processes, the image's non-root user
 * where it has one. Config files are uploaded into per-container anonymous
 * volumes (the engine refuses to copy into a read-only root filesystem but
 * not into a volume), which start empty with every new container.
 *
 * A config change replaces the container (the provider uploads files only at
 * create time); named volumes outlive the container, so no data is lost, and
 * they are retained on `pulumi destroy` too.
 */
export class DockerTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "docker" as const;
  readonly profile = DOCKER_PROFILE;
  readonly reloadsInPlace = false;
  /** The applications' network (`docker.networkName`). */
  readonly network: docker.Network;
  /** Every Docker network the stack creates, by role. */
  readonly networks: Readonly<Record<NetworkRole | "edge", docker.Network>>;
  private readonly provider: docker.Provider;

  constructor(
    name: string,
    private readonly args: DockerTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("observability:target:Docker", name, {}, opts);
    this.provider = new docker.Provider(`${name}-provider`, args.host ? { host: args.host } : {}, { parent: this });
    // The applications' network keeps its resource name and inputs: a changed network is replaced, which
    // Docker refuses while the applications' containers are attached to it.
    const network = (role: NetworkRole | "edge", networkName: string, internal: boolean) =>
      new docker.Network(
        `${name}-network${role === "applications" ? "" : `-${role}`}`,
        {
          name: networkName,
          driver: "bridge",
          ...(internal ? { internal } : {}),
          labels: dockerLabels(role === "applications" ? args.labels : { ...args.labels, "observability.network-role": role }),
        },
        { parent: this, provider: this.provider },
      );
    this.networks = {
      applications: network("applications", args.networkName, false),
      stack: network("stack", dockerNetworkName(args.networkName, "stack"), true),
      edge: network("edge", dockerNetworkName(args.networkName, "edge"), false),
      "docker-api": network("docker-api", dockerNetworkName(args.networkName, "docker-api"), true),
    };
    this.network = this.networks.applications;
    this.registerOutputs({ networkName: this.network.name });
  }

  deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
    const opts = { parent, provider: this.provider };
    const prefix = this.args.networkName;
    const image = new docker.RemoteImage(`${spec.name}-image`, { name: spec.image, keepLocally: true }, opts);

    const volumes = spec.volumes.map(
      (v) =>
        new docker.Volume(
          `${spec.name}-${v.name}`,
          { name: `${dockerContainerName(prefix, spec.name)}-${v.name}`, labels: dockerLabels(this.args.labels) },
          // State outlives the program: destroy leaves the volume for the operator to remove.
          { ...opts, retainOnDelete: true },
        ),
    );

    const envs = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const secretEnvs = Object.entries(spec.secretEnv ?? {}).map(([k, v]) => pulumi.secret(pulumi.interpolate`${k}=${v}`));

    const container = new docker.Container(
      spec.name,
      {
        name: dockerContainerName(prefix, spec.name),
        image: image.imageId,
        entrypoints: spec.entrypoint ? [...spec.entrypoint] : undefined,
        command: spec.args ? [...spec.args] : undefined,
        envs: [...envs, ...secretEnvs],
        user: spec.user,
        privileged: spec.privileged ?? false,
        pidMode: spec.hostNamespaces ? "host" : undefined,
        sysctls: spec.sysctls ? { ...spec.sysctls } : undefined,
        restart: "unless-stopped",
        memory: spec.resources.memoryLimitMb,
        // Nothing the stack runs needs a capability: ports are above 1024, files are the user's own.
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        readOnly: true,
        tmpfs: Object.fromEntries(["/tmp", ...(spec.scratchDirs ?? [])].map((d) => [d, SCRATCH_TMPFS])),
        // No pids field in @pulumi/docker 5.2.0: RLIMIT_NPROC bounds the processes and threads of the (non-root) user.
        ulimits: [{ name: "nproc", soft: DOCKER_NPROC_LIMIT, hard: DOCKER_NPROC_LIMIT }],
        networksAdvanced: dockerNetworkRoles(spec).map((role) => ({ name: this.networks[role].name, aliases: [spec.name] })),
        ports: spec.ports
          .filter((p) => p.hostPort !== undefined)
          .map((p) => ({ internal: p.port, external: p.hostPort, ip: this.args.bindAddress, protocol: dockerProtocol(p) })),
        uploads: [
          ...spec.configs.map((c) => ({ file: c.mountPath, content: c.file.content, permissions: "0444" })),
          ...spec.secrets.map((s) => ({ file: s.mountPath, content: pulumi.secret(s.content), permissions: "0444" })),
        ],
        volumes: [
          ...spec.volumes.map((v, i) => ({ volumeName: volumes[i].name, containerPath: v.mountPath })),
          // Anonymous: created with this container, so a file dropped from the config is gone after replacement.
          ...uploadDirs(spec).map((dir) => ({ containerPath: dir })),
          ...(spec.hostMounts ?? []).map((m) => ({ hostPath: m.hostPath, containerPath: m.mountPath, readOnly: m.readOnly })),
        ],
        healthcheck: spec.health?.dockerTest
          ? { tests: [...spec.health.dockerTest], interval: "30s", timeout: "5s", retries: 3, startPeriod: "30s" }
          : undefined,
        labels: dockerLabels({ ...this.args.labels, "org.opencontainers.image.description": spec.description }),
        logDriver: "json-file",
        logOpts: { "max-size": "50m", "max-file": "3" },
        mustRun: true,
      },
      { ...opts, dependsOn: volumes },
    );

    return {
      resource: container,
      externalUrl: (portName: string): pulumi.Output<string> => {
        const port = spec.ports.find((p) => p.name === portName);
        if (!port) throw new Error(`service ${spec.name} has no port named ${portName}`);
        return pulumi.output(this.publicUrl(spec.name, port));
      },
    };
  }

  publicUrl(service: string, port: ServicePort): string {
    return publicUrl({ publishing: this.profile.publishing, docker: this.args, kubernetes: {} }, service, port);
  }
}

/** The engine's spelling of a port's transport (`tcp`/`udp`). */
export function dockerProtocol(port: ServicePort): "tcp" | "udp" {
  return port.protocol === "UDP" ? "udp" : "tcp";
}

/** Name of the Docker network of `role` for the applications' network `networkName`. */
export function dockerNetworkName(networkName: string, role: NetworkRole | "edge"): string {
  return role === "applications" ? networkName : `${networkName}-${role === "stack" ? "internal" : role}`;
}

/**
 * The networks a container joins: its spec's roles (default `stack`), plus `edge` when it sends out or
 * publishes a port and no other network of it has a route out.
 */
export function dockerNetworkRoles(spec: ServiceSpec): (NetworkRole | "edge")[] {
  const roles: (NetworkRole | "edge")[] = [...(spec.networks ?? ["stack"])];
  const routed = roles.includes("applications");
  const publishes = spec.ports.some((p) => p.hostPort !== undefined);
  if (!routed && (spec.egress || publishes)) roles.push("edge");
  return roles;
}

/** Directories the config and secret files are uploaded to that no data volume already holds. */
export function uploadDirs(spec: ServiceSpec): string[] {
  const onVolume = (dir: string) => spec.volumes.some((v) => dir === v.mountPath || dir.startsWith(`${v.mountPath}/`));
  return topDirectories([...spec.configs, ...spec.secrets].map((f) => f.mountPath)).filter((d) => !onVolume(d));
}

function dockerLabels(labels: Readonly<Record<string, string>>): { label: string; value: string }[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
