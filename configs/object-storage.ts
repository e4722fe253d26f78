/**
 * S3-compatible object storage shared by Loki (chunks, TSDB index, delete
 * requests) and Tempo (trace blocks): `objectStorage.*` in stack config.
 *
 * Credentials never enter a config file: the rendered loki.yml and tempo.yml
 * carry `${VAR}` references, the daemons run with `-config.expand-env=true`
 * (Loki 3.7 pkg/util/cfg/files.go, Tempo 3.0 cmd/tempo/main.go: envsubst over
 * the file before parsing), and the values come from a Kubernetes Secret or
 * the Docker container's environment, both Pulumi secrets.
 */

/** Which service a bucket belongs to. */
export type ObjectStoreUser = "loki" | "tempo";

/** Where one service keeps its objects. */
export interface ObjectStore {
  /** `host` or `host:port`, no scheme (both clients take it in this form). */
  readonly endpoint: string;
  /** Region; unset lets the client ask the endpoint (GetBucketLocation). */
  readonly region?: string;
  readonly bucket: string;
  /**
   * Key prefix inside the bucket, set when Loki and Tempo share one bucket
   * (`loki`, `tempo`); undefined when each has its own bucket.
   */
  readonly prefix?: string;
  /** Path-style requests (`https://host/bucket/key`), as MinIO and most self-hosted stores need. */
  readonly forcePathStyle: boolean;
  /** Plain HTTP to the endpoint (a store inside the cluster without TLS). */
  readonly insecure: boolean;
}

/** Environment variables holding the credentials (values from a Secret; names only in config files). */
export const OBJECT_STORE_ENV = {
  accessKeyId: "OBJECT_STORE_ACCESS_KEY_ID",
  secretAccessKey: "OBJECT_STORE_SECRET_ACCESS_KEY",
} as const;

/** `${NAME}`: an environment reference the daemon expands at start (`-config.expand-env=true`). */
export function envReference(name: string): string {
  return "${" + name + "}";
}

/** The flag that makes Loki and Tempo expand `${VAR}` in their config file. */
export const EXPAND_ENV_FLAG = "-config.expand-env=true";

/** The settings the stores are built from (`objectStorage.*`, validated). */
export interface ObjectStorageSettings {
  readonly endpoint?: string;
  readonly region?: string;
  readonly lokiBucket?: string;
  readonly tempoBucket?: string;
  readonly forcePathStyle: boolean;
  readonly insecure: boolean;
}

/**
 * Where `user` keeps its objects, or undefined while `objectStorage.endpoint`
 * is unset (each service then keeps its data on its own volume). One bucket
 * for both gets a prefix per service so neither lists the other's objects.
 */
export function objectStoreFor(s: ObjectStorageSettings, user: ObjectStoreUser): ObjectStore | undefined {
  const bucket = user === "loki" ? s.lokiBucket : s.tempoBucket;
  if (s.endpoint === undefined || bucket === undefined) return undefined;
  const shared = s.lokiBucket === s.tempoBucket;
  return {
    endpoint: s.endpoint,
    ...(s.region !== undefined ? { region: s.region } : {}),
    bucket,
    ...(shared ? { prefix: user } : {}),
    forcePathStyle: s.forcePathStyle,
    insecure: s.insecure,
  };
}

/**
 * Why `value` is not an S3 endpoint as both clients take it (`host` or
 * `host:port`, no scheme, no path), or undefined when it is one.
 */
export function s3EndpointProblem(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `it has a scheme; give host or host:port only (e.g. s3.eu-west-1.amazonaws.com or minio.storage:9000), and set objectStorage.insecure for plain http`;
  }
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(value);
  if (!m) return `expected host or host:port without a path (e.g. s3.eu-west-1.amazonaws.com or minio.storage:9000)`;
  const host = m[1];
  if (!host.startsWith("[") && host.split(".").some((label) => label === "" || label.startsWith("-") || label.endsWith("-"))) {
    return `'${host}' is not a valid host name`;
  }
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return `port ${m[2]} is outside 1-65535`;
  return undefined;
}

/**
 * Why `name` breaks the S3 general-purpose bucket naming rules (AWS "Bucket
 * naming rules"; MinIO and Ceph RGW apply the same), or undefined when it
 * follows them.
 */
export function bucketNameProblem(name: string): string | undefined {
  const rules = "3-63 characters of lower-case letters, digits, '.' and '-', beginning and ending with a letter or digit";
  if (name.length < 3 || name.length > 63) return `it is ${name.length} characters; a bucket name has ${rules}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return `a bucket name has ${rules}`;
  if (name.includes("..")) return "it has two adjacent periods, which bucket names may not";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "it looks like an IP address, which bucket names may not";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "it starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)";
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return "it ends with a suffix S3 reserves (-s3alias, --ol-s3, --x-s3, --table-s3)";
  return undefined;
}
