/**
 * prometheus.yml as Debian's Prometheus 2.42 (promtool and the daemon) can
 * read it.
 *
 * The shipped file is for Prometheus 3.14, and carries one block 2.42 does
 * not know: `storage.tsdb.retention` (added in 3.8, prometheus/prometheus
 * config/config.go TSDBRetentionConfig; it replaces the deprecated
 * `--storage.tsdb.retention.time/size` flags). 2.42 parses the file strictly
 * and rejects it ("field retention not found in type config.plain"). So the
 * old checker gets the file minus that block, and nothing else changes: every
 * other key, `storage.tsdb.out_of_order_time_window` included (2.39+), is
 * still checked by promtool and run by the e2e daemon. The block itself is
 * checked against 3.14's keys in tests/verified/prometheus-config.test.ts.
 */
import { parse, stringify } from "yaml";

/** Dotted path of the block Prometheus 2.42 cannot read. */
export const ONLY_IN_PROMETHEUS_3 = "storage.tsdb.retention";

/** The config object without `storage.tsdb.retention` (a copy; the input is untouched). */
export function withoutRetentionBlock<T extends object>(config: T): T {
  const copy = structuredClone(config) as { storage?: { tsdb?: Record<string, unknown> } };
  if (copy.storage?.tsdb) delete copy.storage.tsdb.retention;
  return copy as T;
}

/** prometheus.yml text as Prometheus 2.42 can read it (see the file comment). */
export function forPrometheus242(yamlText: string): string {
  return stringify(withoutRetentionBlock(parse(yamlText) as object));
}
