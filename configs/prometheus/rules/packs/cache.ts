/** Cache pack (seeds 002, 004): redis-exporter availability and keyspace hit rate. */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

export function cachePack({ t, alert }: PackContext): RuleFileSpec[] {
  const hits = "sum by (instance) (rate(redis_keyspace_hits_total[5m]))";
  const misses = "sum by (instance) (rate(redis_keyspace_misses_total[5m]))";
  return [
    {
      pack: "cache",
      path: rulesPath("cache"),
      groups: [
        {
          name: "cache",
          rules: [
            alert({
              name: "RedisDown",
              expr: "redis_up == 0",
              for: t.redisDownFor,
              severity: "critical",
              component: "cache",
              summary: `Redis unreachable: ${L("instance")}`,
              description: `redis-exporter ${L("instance")} has not been able to reach Redis for more than ${t.redisDownFor}.`,
            }),
            alert({
              name: "RedisCacheHitRateLow",
              expr: [
                `(100 * ${hits} / (${hits} + ${misses}) < ${num(t.redisHitRatePercent)})`,
                "and on (instance)",
                `(${hits} + ${misses} > ${num(t.redisHitRateMinLookupsPerS)})`,
              ].join("\n"),
              for: t.redisHitRateFor,
              severity: "warning",
              component: "cache",
              summary: `Redis cache hit rate low: ${L("instance")}`,
              description: `Only ${V.f1}% of keyspace lookups on ${L("instance")} hit (threshold ${num(t.redisHitRatePercent)}% for ${t.redisHitRateFor}).`,
            }),
          ],
        },
      ],
    },
  ];
}
