/**
 * The API server rejects a ConfigMap or Secret over 1 MiB (data plus
 * metadata). A service's config files share one ConfigMap, so its files
 * together must stay under this.
 */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
