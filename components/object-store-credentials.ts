import * as pulumi from "@pulumi/pulumi";
import { OBJECT_STORE_ENV } from "../configs/object-storage";

/** The bucket's credentials (`objectStorage.accessKeyId` / `secretAccessKey`), Pulumi secrets. */
export interface ObjectStoreCredentials {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
}

/**
 * The variables the `${VAR}` references in loki.yml / tempo.yml expand to:
 * a Kubernetes Secret (`secretKeyRef`) or the Docker container's secret env.
 */
export function objectStoreEnv(c: ObjectStoreCredentials): Record<string, pulumi.Output<string>> {
  return { [OBJECT_STORE_ENV.accessKeyId]: c.accessKeyId, [OBJECT_STORE_ENV.secretAccessKey]: c.secretAccessKey };
}
