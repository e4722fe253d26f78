/**
 * The API server rejects a ConfigMap or Secret over 1 MiB (data plus
 * metadata). A service's config files share one ConfigMap, so its files
 * together must stay under this.
 */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/**
 * The ConfigMap (or Secret) key a mounted file is stored under: its mount
 * path without the leading '/', every character a key may not hold
 * (`[-._a-zA-Z0-9]`) as '_'. Two files whose paths differ only there
 * collide; settings/stack.ts refuses such dashboards up front.
 */
export function configMapKey(mountPath: string): string {
  return mountPath.replace(/^\//, "").replace(/[^A-Za-z0-9._-]/g, "_");
}
