import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DeployedService, ServicePort, ServiceSpec, Target } from "../target";
import { dockerPublishedUrl } from "../public-url";

export interface DockerTargetArgs {
  /** User-defined network every container joins; applications join it to be scraped by name. */
  readonly networkName: string;
  /** Host address published ports bind to (127.0.0.1 keeps the stack off the LAN). */
  readonly bindAddress: string;
  /** Docker daemon address; provider default when unset. */
  readonly host?: string;
  /** Labels on every container, network and volume. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Docker: one network, one container per service, one named volume per piece
 * of state. A config change replaces the container (the provider uploads
 * files only at create time); named volumes outlive the container, so no data
 * is lost, and they are retained on `pulumi destroy` too.
 */
export class DockerTarget extends pulumi.ComponentResource implements Target {
  readonly kind = "docker" as const;
  readonly network: docker.Network;
  private readonly provider: docker.Provider;

  constructor(
    name: string,
    private readonly args: DockerTargetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("observability:target:Docker", name, {}, opts);
    this.provider = new docker.Provider(`${name}-provider`, args.host ? { host: args.host } : {}, { parent: this });
    this.network = new docker.Network(
      `${name}-network`,
      { name: args.networkName, driver: "bridge", labels: dockerLabels(args.labels) },
      { parent: this, provider: this.provider },
    );
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
          { name: `${prefix}-${spec.name}-${v.name}`, labels: dockerLabels(this.args.labels) },
          // State outlives the program: destroy leaves the volume for the operator to remove.
          { ...opts, retainOnDelete: true },
        ),
    );

    const envs = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const secretEnvs = Object.entries(spec.secretEnv ?? {}).map(([k, v]) => pulumi.secret(pulumi.interpolate`${k}=${v}`));

    const container = new docker.Container(
      spec.name,
      {
        name: `${prefix}-${spec.name}`,
        image: image.imageId,
        command: spec.args ? [...spec.args] : undefined,
        envs: [...envs, ...secretEnvs],
        user: spec.user,
        privileged: spec.privileged ?? false,
        pidMode: spec.hostNamespaces ? "host" : undefined,
        sysctls: spec.sysctls ? { ...spec.sysctls } : undefined,
        restart: "unless-stopped",
        memory: spec.resources.memoryLimitMb,
        networksAdvanced: [{ name: this.network.name, aliases: [spec.name] }],
        ports: spec.ports
          .filter((p) => p.hostPort !== undefined)
          .map((p) => ({ internal: p.port, external: p.hostPort, ip: this.args.bindAddress, protocol: "tcp" })),
        uploads: [
          ...spec.configs.map((c) => ({ file: c.mountPath, content: c.file.content, permissions: "0444" })),
          ...spec.secrets.map((s) => ({ file: s.mountPath, content: pulumi.secret(s.content), permissions: "0444" })),
        ],
        volumes: [
          ...spec.volumes.map((v, i) => ({ volumeName: volumes[i].name, containerPath: v.mountPath })),
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
    if (port.hostPort === undefined) throw new Error(`service ${service} publishes no port named ${port.name}`);
    return dockerPublishedUrl(this.args.bindAddress, port.hostPort);
  }
}

function dockerLabels(labels: Readonly<Record<string, string>>): { label: string; value: string }[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
