/** Database pack (seeds 002, 003): postgres-exporter availability and connection saturation. */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

export function databasePack({ t, alert }: PackContext): RuleFileSpec[] {
  return [
    {
      pack: "database",
      path: rulesPath("database"),
      groups: [
        {
          name: "database",
          rules: [
            alert({
              name: "PostgresDown",
              expr: "pg_up == 0",
              for: t.postgresDownFor,
              severity: "critical",
              component: "database",
              summary: `PostgreSQL unreachable: ${L("instance")}`,
              description: `postgres-exporter ${L("instance")} has not been able to connect to its database for more than ${t.postgresDownFor}.`,
            }),
            alert({
              name: "PostgresConnectionsHigh",
              expr: `100 * sum by (instance) (pg_stat_activity_count) / max by (instance) (pg_settings_max_connections) > ${num(t.postgresConnectionsPercent)}`,
              for: t.postgresConnectionsFor,
              severity: "warning",
              component: "database",
              summary: `PostgreSQL connections near max_connections: ${L("instance")}`,
              description: `${V.f1}% of max_connections are in use on ${L("instance")} (threshold ${num(t.postgresConnectionsPercent)}% for ${t.postgresConnectionsFor}).`,
            }),
          ],
        },
      ],
    },
  ];
}
