import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import type { DeployedService, ServiceSpec, Target } from "../targets/target";

/** Every component takes the target it runs on. */
export interface ComponentArgs {
  /** Where and how the service runs (Docker or Kubernetes). */
  readonly target: Target;
}

/** A store with a data volume that people open in a browser (Prometheus, Loki, Tempo): its settings section's sizing. */
export interface DataStoreArgs extends ComponentArgs {
  /** Port published on the Docker host (`<section>.hostPort`); Kubernetes ignores it. */
  readonly hostPort: number;
  /** Memory limit in MiB (`<section>.memoryLimitMb`). */
  readonly memoryLimitMb: number;
  /** Size of the data volume in GiB (`<section>.storageGi`): the Kubernetes PVC; Docker volumes take the host's disk. */
  readonly storageGi: number;
}

/**
 * A component that is one running service: it builds its ServiceSpec (what
 * runs) and hands it to the target (how). Subclasses only describe the spec.
 */
export abstract class ServiceComponent extends pulumi.ComponentResource {
  /** Config files this service reads, for render and review. */
  readonly files: readonly ConfigFile[];
  /** Secret files this service reads (masked in render). */
  readonly secretFiles: ServiceSpec["secrets"];
  readonly deployed: DeployedService;
  readonly spec: ServiceSpec;

  protected constructor(type: string, name: string, target: Target, spec: ServiceSpec, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.spec = spec;
    this.files = spec.configs.map((c) => c.file);
    this.secretFiles = spec.secrets;
    this.deployed = target.deploy(spec, this);
    this.registerOutputs({ service: spec.name });
  }

  /** External URL of a published or user-facing port. */
  url(portName = "http"): pulumi.Output<string> {
    return this.deployed.externalUrl(portName);
  }
}

/** Mount every file whose render path starts with `dir/` under `mountDir`, keeping the relative layout. */
export function mountDir(files: readonly ConfigFile[], dir: string, mountDirPath: string): ServiceSpec["configs"] {
  return files.map((file) => {
    if (!file.path.startsWith(`${dir}/`)) throw new Error(`${file.path} is not under ${dir}/`);
    return { mountPath: `${mountDirPath}/${file.path.slice(dir.length + 1)}`, file };
  });
}
