import { program } from "./program";

const stack = program();

/** URL of every user-facing service (Grafana, Prometheus, Alertmanager, Loki, Tempo). */
export const urls = stack.urls;
/** OTLP endpoints applications export to. */
export const otlp = stack.otlp;
export const grafanaAdminUser = stack.grafanaAdminUser;
/** Secret: `pulumi stack output --show-secrets grafanaAdminPassword`. */
export const grafanaAdminPassword = stack.grafanaAdminPassword;
