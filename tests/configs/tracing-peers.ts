/**
 * Where the collector and Tempo send inside a single-replica stack, as components/stack.ts wires them
 * (tracing.test.ts checks the stack's rendered collector config against a config built from these).
 */
import { LOKI_OTLP_PATH } from "../../configs/loki/loki";
import type { OtelCollectorConfigOptions } from "../../configs/otel-collector/otel-collector";
import { PROMETHEUS_OTLP_PATH } from "../../configs/otel-collector/otel-collector";
import { PROMETHEUS_REMOTE_WRITE_PATH } from "../../configs/tempo/tempo";
import { internalAddress, internalUrl, SERVICES } from "../../configs/topology";

export const COLLECTOR_PEERS: Omit<OtelCollectorConfigOptions, "memoryLimitMib"> = {
  tempoOtlpGrpcEndpoint: internalAddress("tempo", SERVICES.tempo.ports.otlpGrpc),
  lokiOtlpUrl: `${internalUrl("loki")}${LOKI_OTLP_PATH}`,
  prometheusOtlpUrl: [`${internalUrl("prometheus")}${PROMETHEUS_OTLP_PATH}`],
};

export const PROMETHEUS_REMOTE_WRITE_URL = `${internalUrl("prometheus")}${PROMETHEUS_REMOTE_WRITE_PATH}`;
