/**
 * Seed 001's nested JSON `context` object in log lines
 * (`{"timestamp", "level", "message", "context": {...}}`): both log agents
 * lift its IDs into structured metadata under their own names and keep the
 * object itself there too; none of it becomes a stream label.
 */
import { parse } from "yaml";
import { alloyConfigFiles } from "../../configs/alloy/alloy";
import { CONTEXT_METADATA_FIELDS, FORBIDDEN_LOG_LABELS, jsonLogExpressions, LINE_STRUCTURED_METADATA } from "../../configs/logs/labels";
import { promtailConfigFiles } from "../../configs/promtail/promtail";
import { PLATFORM_PROFILES } from "../../targets";

const PUSH = "http://loki:3100/loki/api/v1/push";
const LINE = { timestamp: "2026-12-01T10:00:00Z", level: "INFO", message: "assignment parsed", component: "worker", context: { assignment_id: "a-17", message_id: "m-9", retry: 2 } };

/** The JMESPath subset the expressions use (dotted field access), evaluated as the agents' json stage does. */
function extract(line: Record<string, unknown>, expr: string): unknown {
  return expr.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), line);
}

describe("the nested `context` object (seed 001)", () => {
  it("json expressions lift each listed context key and keep the object", () => {
    const e = jsonLogExpressions();
    expect(e.context).toBe("context");
    for (const f of CONTEXT_METADATA_FIELDS) expect(e[f]).toBe(`context.${f}`);
    expect(extract(LINE, e.assignment_id as string)).toBe("a-17");
    expect(extract(LINE, e.message_id as string)).toBe("m-9");
    expect(extract(LINE, e.user_id as string)).toBeUndefined(); // absent keys add nothing
    expect(extract(LINE, e.context as string)).toEqual({ assignment_id: "a-17", message_id: "m-9", retry: 2 });
  });

  it("the IDs it carries are never labels", () => {
    for (const f of CONTEXT_METADATA_FIELDS) expect(FORBIDDEN_LOG_LABELS).toContain(f);
  });

  describe.each(["docker", "kubernetes"] as const)("on %s", (platform) => {
    it("Promtail parses it and attaches it as structured metadata, not labels", () => {
      const cfg = parse(promtailConfigFiles({ lokiPushUrl: PUSH, platform: PLATFORM_PROFILES[platform] })[0].content);
      const stages = cfg.scrape_configs.flatMap((s: { pipeline_stages: Record<string, unknown>[] }) => s.pipeline_stages);
      const json = stages.find((s: Record<string, unknown>) => "json" in s).json.expressions;
      expect(json).toMatchObject(jsonLogExpressions());
      const metadata = Object.keys(stages.find((s: Record<string, unknown>) => "structured_metadata" in s).structured_metadata);
      expect(metadata).toEqual(expect.arrayContaining([...LINE_STRUCTURED_METADATA]));
      const labels = Object.keys(stages.find((s: Record<string, unknown>) => "labels" in s).labels);
      expect(labels.filter((l) => l === "context" || (CONTEXT_METADATA_FIELDS as readonly string[]).includes(l))).toEqual([]);
    });

    it("Alloy parses it and attaches it as structured metadata, not labels", () => {
      const text = alloyConfigFiles({ lokiPushUrl: PUSH, platform: PLATFORM_PROFILES[platform] })[0].content;
      const block = (name: string) => new RegExp(`${name.replace(".", "\\.")} \\{([^}]*)\\}`).exec(text)?.[1] ?? "";
      for (const f of CONTEXT_METADATA_FIELDS) {
        expect(block("stage.json")).toMatch(new RegExp(`"${f}"\\s*=\\s*"context\\.${f}"`));
        expect(block("stage.structured_metadata")).toMatch(new RegExp(`"${f}"\\s*=\\s*"${f}"`));
        expect(block("stage.labels")).not.toContain(`"${f}"`);
      }
      expect(block("stage.structured_metadata")).toMatch(/"context"\s*=\s*"context"/);
    });
  });
});
