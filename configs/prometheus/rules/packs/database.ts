/**
 * Database pack (seeds 002, 003, 004): postgres-exporter availability,
 * connection saturation and size growth; slow queries as the application
 * measures them (db_query_duration_seconds of the contract).
 */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

export function databasePack({ t, alert }: PackContext): RuleFileSpec[] {
  const w = t.databaseSizeGrowthWindow;
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
            alert({
              name: "SlowDatabaseQueries",
              expr: `histogram_quantile(0.95, sum by (job, le) (rate(db_query_duration_seconds_bucket[5m]))) > ${num(t.slowDatabaseQuerySeconds)}`,
              for: t.slowDatabaseQueryFor,
              severity: "warning",
              component: "database",
              summary: `Slow database queries: ${L("job")}`,
              description: `p95 database query time measured by ${L("job")} is ${V.dur} (threshold ${num(t.slowDatabaseQuerySeconds)}s for ${t.slowDatabaseQueryFor}).`,
            }),
            alert({
              name: "DatabaseSizeGrowthHigh",
              // The size now against the size one window ago, per database (datname), only for
              // databases big enough that the growth costs disk.
              expr: [
                `100 * (pg_database_size_bytes - pg_database_size_bytes offset ${w})`,
                `/ (pg_database_size_bytes offset ${w})`,
                `> ${num(t.databaseSizeGrowthPercent)}`,
                `and pg_database_size_bytes > ${num(t.databaseSizeGrowthMinBytes)}`,
              ].join("\n"),
              for: t.databaseSizeGrowthFor,
              severity: "warning",
              component: "database",
              summary: `Database growing fast: ${L("datname")} on ${L("instance")}`,
              description: `Database ${L("datname")} on ${L("instance")} grew ${V.f1}% in ${w} (threshold ${num(t.databaseSizeGrowthPercent)}% for ${t.databaseSizeGrowthFor}).`,
            }),
          ],
        },
      ],
    },
  ];
}
