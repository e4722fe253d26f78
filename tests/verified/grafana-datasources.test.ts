/**
 * Datasource links checked against Grafana's and Tempo's own sources, so a
 * provisioned setting that Grafana silently ignores (no link shown) fails here.
 *
 * Sources:
 * - grafana/grafana public/app/features/explore/TraceView/createSpanLink.tsx:
 *   trace-to-logs builds `{${__tags}} |="${__span.traceId}"` from the configured
 *   tags and returns no link when none of them is on the span; metrics links
 *   are built only for `tracesToMetrics.queries`.
 * - grafana/grafana docs .../configure-trace-to-logs.md and configure-trace-to-metrics.md
 *   (provisioning shape: `tags: [{key, value}]`, `queries: [{name, query}]`, `$$__tags` in files).
 * - grafana/grafana#84346: Tempo's Loki tab removed in Grafana 11 (`lokiSearch` is dead).
 * - grafana/tempo modules/generator/registry: span-metric exemplars carry `traceID`;
 *   docs .../span-metrics-metrics-generator.md: `traces_spanmetrics_calls_total`,
 *   `traces_spanmetrics_latency`, labels `service`, `span_name`, `span_kind`, `status_code`.
 */
import { parse } from "yaml";
import {
  EXEMPLAR_TRACE_ID_LABELS,
  grafanaDatasources,
  grafanaDatasourcesFile,
  PROMETHEUS_VERSION,
  SPAN_METRICS_QUERIES,
} from "../../configs/grafana/provisioning";
import { SERVICE_LABEL } from "../../configs/logs/labels";
import { DATASOURCE_UIDS } from "../../configs/topology";
import { IMAGES } from "../../versions";
import { parseLogQL, parsePromQL } from "../dashboards/queries";

type Tag = { key: string; value?: string };
interface TempoJsonData {
  tracesToLogsV2: { datasourceUid: string; tags?: Tag[]; filterByTraceID?: boolean; customQuery?: boolean };
  tracesToMetrics: { datasourceUid: string; tags?: Tag[]; queries?: { name: string; query: string }[] };
  lokiSearch?: unknown;
}

/** Grafana's getFormattedTags: configured tags present on the span, as `label="value"`, joined by `, `. */
function formattedTags(spanAttributes: Record<string, string>, tags: Tag[]): string {
  return Object.entries(spanAttributes)
    .flatMap(([k, v]) => {
      const t = tags.find((x) => x.key === k);
      return t ? [`${t.value || t.key}="${v}"`] : [];
    })
    .join(", ");
}

const byType = (type: string) => grafanaDatasources().find((d) => d.type === type)!;
const tempo = () => byType("tempo").jsonData as unknown as TempoJsonData;

describe("Tempo -> Loki (trace to logs)", () => {
  it("maps the span's service.name to the stream label every log agent sets, so Grafana shows a link", () => {
    const { tracesToLogsV2 } = tempo();
    expect(tracesToLogsV2.datasourceUid).toBe(DATASOURCE_UIDS.loki);
    expect(tracesToLogsV2.customQuery).toBe(false);
    const tags = formattedTags({ "service.name": "backend", "http.route": "/x" }, tracesToLogsV2.tags ?? []);
    expect(tags).toBe(`${SERVICE_LABEL}="backend"`);
  });

  it("yields the LogQL Grafana would open, and it parses", () => {
    const { tracesToLogsV2 } = tempo();
    const tags = formattedTags({ "service.name": "backend" }, tracesToLogsV2.tags ?? []);
    const expr = `{${tags}}${tracesToLogsV2.filterByTraceID ? ' |="4bf92f3577b34da6a3ce929d0e0e4736"' : ""}`;
    expect(parseLogQL(expr).errors).toEqual([]);
  });

  it("no longer configures the removed Loki search tab", () => {
    expect(tempo().lokiSearch).toBeUndefined();
  });
});

describe("Tempo -> Prometheus (trace to metrics)", () => {
  it("has queries (Grafana builds a metrics link per query, none without) over Tempo's span metrics", () => {
    const { tracesToMetrics } = tempo();
    expect(tracesToMetrics.datasourceUid).toBe(DATASOURCE_UIDS.prometheus);
    expect(tracesToMetrics.tags).toEqual([{ key: "service.name", value: "service" }]);
    expect(tracesToMetrics.queries?.map((q) => q.name)).toEqual(SPAN_METRICS_QUERIES.map((q) => q.name));
    expect(tracesToMetrics.queries?.every((q) => /traces_spanmetrics_(calls_total|latency_bucket)\{\$__tags/.test(q.query))).toBe(true);
  });

  it("each query parses as PromQL once $__tags is interpolated", () => {
    for (const q of tempo().tracesToMetrics.queries ?? []) {
      const expr = q.query.replace("$__tags", formattedTags({ "service.name": "backend" }, tempo().tracesToMetrics.tags ?? []));
      expect([q.name, parsePromQL(expr).errors]).toEqual([q.name, []]);
    }
  });

  it("escapes $__tags as $$__tags in the provisioning file (Grafana expands $VAR there), not in the API copy", () => {
    const file = grafanaDatasourcesFile().content;
    expect(file).toContain("{$$__tags}");
    expect(file).not.toMatch(/[^$]\$__tags/);
    expect(JSON.stringify(tempo().tracesToMetrics)).toContain("{$__tags}");
    expect(parse(file).datasources.find((d: { type: string }) => d.type === "tempo").jsonData.lokiSearch).toBeUndefined();
  });
});

describe("Prometheus datasource", () => {
  it("links exemplars labelled by Tempo (traceID) and by the OTLP receiver (trace_id) to Tempo", () => {
    const dest = byType("prometheus").jsonData.exemplarTraceIdDestinations as { name: string; datasourceUid: string }[];
    expect(dest.map((d) => d.name).sort()).toEqual([...EXEMPLAR_TRACE_ID_LABELS].sort());
    expect(dest.map((d) => d.name)).toContain("traceID");
    expect(dest.every((d) => d.datasourceUid === DATASOURCE_UIDS.tempo)).toBe(true);
  });

  it("declares its flavour and the pinned image's version", () => {
    const j = byType("prometheus").jsonData;
    expect(j.prometheusType).toBe("Prometheus");
    expect(j.prometheusVersion).toBe(PROMETHEUS_VERSION);
    expect(IMAGES.prometheus.endsWith(`:v${PROMETHEUS_VERSION}`)).toBe(true);
    expect(PROMETHEUS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
