/**
 * Every alert threshold and `for` duration of the rule catalog, configurable
 * per stack. Values are numbers or Prometheus duration strings only: the
 * config validator checks a user's keys against `Object.keys(DEFAULT_THRESHOLDS)`
 * and each value's type against the default's type.
 *
 * Defaults are the seeds' values; where a seed is silent the JSDoc says
 * "not in seeds" and gives the reason for the chosen value.
 */
import { durationMs, isPromDuration } from "../../durations";

/** A Prometheus duration such as `"30s"`, `"5m"`, `"1h30m"`, `"30d"`; `"0m"` means "fire immediately". */
export type PromDuration = string;

export interface RuleThresholds {
  // ---------------------------------------------------------------- TutorDex infra (seed 000)
  /** PrometheusTargetDown: how long a scrape target must be down (`up == 0`). Duration. Seed 000: "down for 5+ minutes". */
  targetDownFor: PromDuration;
  /** BlackboxProbeFailed: how long a health probe must fail (`probe_success == 0`). Duration. Seed 000: "fails for 2+ minutes". */
  probeFailedFor: PromDuration;
  /** HostDiskLow: filesystem usage above which the alert is pending. Percent used (0-100). Seed 000: "Disk usage > 90%". */
  hostDiskUsedPercent: number;
  /** HostDiskLow: how long usage must stay above `hostDiskUsedPercent`. Duration. Seed 000: "for 15+ minutes". */
  hostDiskLowFor: PromDuration;
  /** ContainerRestarted: look-back window in which a container start counts as a restart (alert stays firing this long). Duration. Not in seeds ("immediate"); 15m keeps one notification per restart burst. */
  containerRestartedWindow: PromDuration;
  /** ContainerRestarted: pending time. Duration. Seed 000: "(immediate)", so `0m`. */
  containerRestartedFor: PromDuration;

  // ---------------------------------------------------------------- TutorDex pipeline (seed 000, 001)
  /** CollectorStalled: seconds since the newest message on any channel above which the collector counts as stalled. Seconds. Seed 000: "No messages for 10+ minutes". */
  collectorStalledSeconds: number;
  /** CollectorStalled: how long the stall must persist. Duration. Seed 000: 10 minutes. */
  collectorStalledFor: PromDuration;
  /** QueueBacklogGrowingNoThroughput: window over which `queue_pending` must have grown. Duration. Seed 001: "pending increased over 15m". */
  queueBacklogWindow: PromDuration;
  /** QueueBacklogGrowingNoThroughput: pending time. Duration. Seed 001: "For: 10 minutes". */
  queueBacklogFor: PromDuration;
  /** QueueOldestPendingTooOld: age of the oldest pending job above which the alert is pending. Seconds. Seed 000: "Jobs waiting 30+ minutes". */
  queueOldestPendingSeconds: number;
  /** QueueOldestPendingTooOld: pending time. Duration. Not in seeds; 5m rides out a single slow dequeue. */
  queueOldestPendingFor: PromDuration;
  /** QueueStuckProcessing: age of the oldest processing job above which the alert is pending. Seconds. Seed 000: "Jobs processing for 15+ minutes". */
  queueStuckProcessingSeconds: number;
  /** QueueStuckProcessing: pending time. Duration. Not in seeds; 5m rides out a job finishing just past the threshold. */
  queueStuckProcessingFor: PromDuration;
  /** LLMFailureSpike: LLM failure rate threshold. Failures per second. Seed 000: "> 0.2/s". */
  llmFailureRatePerS: number;
  /** LLMFailureSpike: pending time. Duration. Seed 000: "for 5+ minutes". */
  llmFailureFor: PromDuration;
  /** SupabaseFailureSpike: Supabase operation failure rate threshold (all operations). Failures per second. Seed 000: "> 0.2/s". */
  supabaseFailureRatePerS: number;
  /** SupabaseFailureSpike: pending time. Duration. Seed 000: "for 5+ minutes". */
  supabaseFailureFor: PromDuration;
  /** BroadcastFailureSpike: broadcast send failure rate threshold. Failures per second. Seed 000: "> 0.2/s". */
  broadcastFailureRatePerS: number;
  /** BroadcastFailureSpike: pending time. Duration. Seed 000: "for 5+ minutes". */
  broadcastFailureFor: PromDuration;
  /** DMFailureSpike: DM send failure rate threshold. Failures per second. Seed 000: "> 0.2/s". */
  dmFailureRatePerS: number;
  /** DMFailureSpike: pending time. Duration. Seed 000: "for 5+ minutes". */
  dmFailureFor: PromDuration;
  /** DMRateLimited: rate of Telegram rate-limit hits (over `dmRateLimitedWindow`) above which the alert is pending. Events per second. Seed 000: "rate limits detected", so any (`0`). */
  dmRateLimitedRatePerS: number;
  /** DMRateLimited: rate window; short, so "for 2m" means hits keep arriving rather than one hit lingering in a 5m window. Keep it at least 4x the scrape interval. Duration. Not in seeds; 1m (scrape interval 15s, seed 001). */
  dmRateLimitedWindow: PromDuration;
  /** DMRateLimited: pending time. Duration. Seed 000: "for 2+ minutes". */
  dmRateLimitedFor: PromDuration;
  /** ParseFailureSpike: parse failure rate threshold (all reasons). Failures per second. Seed 000: "> 0.5/s". */
  parseFailureRatePerS: number;
  /** ParseFailureSpike: pending time. Duration. Seed 000: "for 5+ minutes". */
  parseFailureFor: PromDuration;
  /** ParseErrorFractionHigh: failed / (failed + succeeded) parses above which the alert is pending. Fraction (0-1). Seed 000: "> 20%". */
  parseErrorFraction: number;
  /** ParseErrorFractionHigh: pending time. Duration. Seed 000: "for 10+ minutes". */
  parseErrorFractionFor: PromDuration;
  /** MissingSubjectsHigh: rate of parsed assignments missing subjects. Events per second. Seed 000: "> 0.2/s". */
  missingSubjectsRatePerS: number;
  /** MissingSubjectsHigh: pending time. Duration. Seed 000: "for 15+ minutes". */
  missingSubjectsFor: PromDuration;

  // ---------------------------------------------------------------- service pack (seeds 002, 004)
  /** ServiceDown: how long every target of a job must be down. Duration. Seed 002: "Service unreachable for 1min". */
  serviceDownFor: PromDuration;

  // ---------------------------------------------------------------- http pack (seeds 002, 003, 004)
  /** HighErrorRate (warning): 5xx share of HTTP requests per job. Percent. Seed 003: "High error rate (>2%)" warning. */
  httpErrorRateWarningPercent: number;
  /** HighErrorRate (warning): pending time. Duration. Not in seeds; 10m, twice the critical one, so a warning means "sustained". */
  httpErrorRateWarningFor: PromDuration;
  /** HighErrorRate (critical): 5xx share of HTTP requests per job. Percent. Seeds 002, 003, 004: "> 5%". */
  httpErrorRateCriticalPercent: number;
  /** HighErrorRate (critical): pending time. Duration. Seed 002: "Error rate > 5% for 5min". */
  httpErrorRateCriticalFor: PromDuration;
  /** HighErrorRate: minimum request rate per job for the ratio to count (guards against 1-of-2-requests-failed). Requests per second. Not in seeds; 0 keeps the seeds' unguarded behaviour. */
  httpErrorRateMinRequestsPerS: number;
  /** HighLatencyP95 (warning): p95 of `http_request_duration_seconds` per job. Seconds. Seed 003: "Slow response times (p95 > 1s)" warning. */
  httpLatencyP95WarningSeconds: number;
  /** HighLatencyP95 (warning): pending time. Duration. Seed 002: "p95 latency > 1s for 10min". */
  httpLatencyP95WarningFor: PromDuration;
  /** HighLatencyP95 (critical): p95 per job. Seconds. Seeds 003, 004: "p95 > 2s". */
  httpLatencyP95CriticalSeconds: number;
  /** HighLatencyP95 (critical): pending time. Duration. Seed 002: "for 10min". */
  httpLatencyP95CriticalFor: PromDuration;

  // ---------------------------------------------------------------- host pack (seeds 002, 003)
  /** HostCpuHigh: non-idle CPU share per host. Percent. Seed 003: "CPU usage high (>80%)" warning. */
  hostCpuPercent: number;
  /** HostCpuHigh: pending time. Duration. Not in seeds; 10m, CPU bursts are normal. */
  hostCpuFor: PromDuration;
  /** HostMemoryHigh (warning): used memory share (1 - MemAvailable/MemTotal). Percent. Seed 003: "Memory usage high (>80%)" warning. */
  hostMemoryWarningPercent: number;
  /** HostMemoryHigh (warning): pending time. Duration. Seed 002: "HighMemoryUsage ... for 10min". */
  hostMemoryWarningFor: PromDuration;
  /** HostMemoryHigh (critical): used memory share. Percent. Seeds 003, 004: "High memory usage (>90%)" critical. */
  hostMemoryCriticalPercent: number;
  /** HostMemoryHigh (critical): pending time. Duration. Not in seeds; 5m. */
  hostMemoryCriticalFor: PromDuration;
  /** HostDiskSpaceLow (warning): free space share per filesystem below which the alert is pending. Percent free. Seed 002: "DiskSpaceLow <15% available". */
  hostDiskFreeWarningPercent: number;
  /** HostDiskSpaceLow (warning): pending time. Duration. Seed 002: "for 5min". */
  hostDiskFreeWarningFor: PromDuration;
  /** HostDiskSpaceLow (critical): free space share. Percent free. Seed 003: "Disk space low (<10%)" critical. */
  hostDiskFreeCriticalPercent: number;
  /** HostDiskSpaceLow (critical): pending time. Duration. Not in seeds; 5m as the warning. */
  hostDiskFreeCriticalFor: PromDuration;

  // ---------------------------------------------------------------- container pack (seed 002)
  /** ContainerMemoryHigh (warning): working set as share of the container's memory limit (containers with a limit only). Percent. Seed 003: memory > 80% warning. */
  containerMemoryWarningPercent: number;
  /** ContainerMemoryHigh (warning): pending time. Duration. Seed 002: "for 10min". */
  containerMemoryWarningFor: PromDuration;
  /** ContainerMemoryHigh (critical): working set as share of the limit. Percent. Seeds 003, 004: memory > 90% critical. */
  containerMemoryCriticalPercent: number;
  /** ContainerMemoryHigh (critical): pending time. Duration. Not in seeds; 5m. */
  containerMemoryCriticalFor: PromDuration;
  /** ContainerRestartLoop: restarts within `containerRestartLoopWindow` at or above which a container counts as crash-looping. Count. Not in seeds (seed 002 charts the restart rate); 3. */
  containerRestartLoopCount: number;
  /** ContainerRestartLoop: window the restarts are counted over. Duration. Not in seeds; 1h. */
  containerRestartLoopWindow: PromDuration;

  // ---------------------------------------------------------------- database pack (seeds 002, 003)
  /** PostgresDown: how long `pg_up == 0` must hold. Duration. Seed 002: "DatabaseDown ... for 1min". */
  postgresDownFor: PromDuration;
  /** PostgresConnectionsHigh: connections in use as share of `max_connections`. Percent. Seed 003: "High connection pool usage (>80%)". */
  postgresConnectionsPercent: number;
  /** PostgresConnectionsHigh: pending time. Duration. Not in seeds; 5m. */
  postgresConnectionsFor: PromDuration;

  // ---------------------------------------------------------------- cache pack (seeds 002, 004)
  /** RedisDown: how long `redis_up == 0` must hold. Duration. Not in seeds (seed 004 lists `redis_up`); 1m as the database. */
  redisDownFor: PromDuration;
  /** RedisCacheHitRateLow: keyspace hit share below which the alert is pending. Percent. Seed 002: "CacheHitRateLow <70%". */
  redisHitRatePercent: number;
  /** RedisCacheHitRateLow: pending time. Duration. Seed 002: "for 10min". */
  redisHitRateFor: PromDuration;
  /** RedisCacheHitRateLow: minimum keyspace lookups per second for the ratio to count. Lookups per second. Not in seeds; 0 keeps the seed's unguarded behaviour. */
  redisHitRateMinLookupsPerS: number;

  // ---------------------------------------------------------------- queue pack (seed 003)
  /** QueueDepthHigh (warning): pending jobs. Jobs. Seed 003: "Queue depth high (>500 jobs)" warning. */
  queueDepthWarning: number;
  /** QueueDepthHigh (warning): pending time. Duration. Not in seeds; 15m, a backlog that drains on its own is not news. */
  queueDepthWarningFor: PromDuration;
  /** QueueDepthHigh (critical): pending jobs. Jobs. Seed 003: "High queue depth (>1000 jobs)". */
  queueDepthCritical: number;
  /** QueueDepthHigh (critical): pending time. Duration. Not in seeds; 10m. */
  queueDepthCriticalFor: PromDuration;
  /** JobFailureRateHigh: failed share of processed jobs. Percent. Seed 003: "High job failure rate (>10%)". */
  jobFailurePercent: number;
  /** JobFailureRateHigh: pending time. Duration. Not in seeds; 10m. */
  jobFailureFor: PromDuration;
  /** WorkerHeartbeatMissing: age of the newest worker heartbeat per job above which the workers count as offline. Seconds. Seed 003: "no heartbeat for 5 minutes". */
  workerHeartbeatMaxAgeSeconds: number;
  /** WorkerHeartbeatMissing: pending time. Duration. Not in seeds; 1m absorbs scrape jitter. */
  workerHeartbeatMissingFor: PromDuration;
  /**
   * WorkerHeartbeatMissing: window in which a vanished worker's last heartbeat is found from the raw series. Duration. Not in seeds; 1h.
   * Beyond it the recording rule `job:worker_last_heartbeat_timestamp_seconds:max` remembers the heartbeat for as long as the job is
   * scraped; this window only matters after Prometheus itself was down for more than 5m (see packs/queue.ts).
   */
  workerHeartbeatLookback: PromDuration;

  // ---------------------------------------------------------------- slo pack (seed 003)
  /** SLOErrorBudgetFastBurn: burn-rate multiple that pages. Multiple of the sustainable rate. Seed 003: "Critical: Burn rate > 10x". */
  sloFastBurnRate: number;
  /** SLOErrorBudgetFastBurn: long window. Duration. Not in seeds; 1h (SRE workbook). */
  sloFastBurnLongWindow: PromDuration;
  /** SLOErrorBudgetFastBurn: short window confirming the burn is still happening. Duration. Not in seeds; 5m (SRE workbook). */
  sloFastBurnShortWindow: PromDuration;
  /** SLOErrorBudgetFastBurn: pending time. Duration. Not in seeds; 2m. */
  sloFastBurnFor: PromDuration;
  /** SLOErrorBudgetSlowBurn: burn-rate multiple that opens a ticket. Multiple. Seed 003: "Warning: Burn rate > 2x". */
  sloSlowBurnRate: number;
  /** SLOErrorBudgetSlowBurn: long window. Duration. Not in seeds; 6h (SRE workbook). */
  sloSlowBurnLongWindow: PromDuration;
  /** SLOErrorBudgetSlowBurn: short window. Duration. Not in seeds; 30m (SRE workbook). */
  sloSlowBurnShortWindow: PromDuration;
  /** SLOErrorBudgetSlowBurn: pending time. Duration. Not in seeds; 15m. */
  sloSlowBurnFor: PromDuration;

  // ---------------------------------------------------------------- probes pack (seed 000, "SSL certificate monitoring")
  /** CertificateExpiringSoon (warning): days before a probed TLS certificate expires. Days. Issue 16: 14 days. */
  certificateExpiryWarningDays: number;
  /** CertificateExpiringSoon (critical): days before expiry. Days. Issue 16: 3 days. */
  certificateExpiryCriticalDays: number;
  /** CertificateExpiringSoon: pending time. Duration. Not in seeds; 10m rides out one probe reaching a replica mid-rotation. */
  certificateExpiryFor: PromDuration;

  // ---------------------------------------------------------------- scheduler pack (seed 003, Scheduler Performance)
  /** SchedulerExecutionLagHigh: p95 delay between scheduled and actual start. Seconds. Seed 003: "High execution lag (>5 minutes)". */
  schedulerExecutionLagSeconds: number;
  /** SchedulerExecutionLagHigh: pending time. Duration. Not in seeds; 10m, one late batch is not news. */
  schedulerExecutionLagFor: PromDuration;
  /** SchedulerSuccessRateLow: successful share of finished runs below which the alert is pending. Percent. Seed 003: "Low success rate (<90%)". */
  schedulerSuccessRatePercent: number;
  /** SchedulerSuccessRateLow: window the runs are counted over; long, as scheduled runs are sparse. Duration. Not in seeds; 30m. */
  schedulerSuccessRateWindow: PromDuration;
  /** SchedulerSuccessRateLow: pending time. Duration. Not in seeds; 15m. */
  schedulerSuccessRateFor: PromDuration;
  /** SchedulerOffline: age of the scheduler loop's last tick above which it counts as offline. Seconds. Seed 003: "Scheduler offline"; 300 as its worker offline ("no heartbeat for 5 minutes"). */
  schedulerHeartbeatMaxAgeSeconds: number;
  /** SchedulerOffline: pending time. Duration. Not in seeds; 1m absorbs scrape jitter. */
  schedulerOfflineFor: PromDuration;

  // ---------------------------------------------------------------- api, ai, business packs and the database pack's query/size alerts (seeds 003, 004)
  /** APIDown: share of a job's requests answered 5xx. Percent. Seed 003: "API down (5xx errors > 10%)", critical. */
  apiDownErrorPercent: number;
  /** APIDown: pending time. Duration. Not in seeds; 5m, as HighErrorRate's critical tier: a minute of 503s while a deploy restarts stays in the 5m rate window for 5m and must not page. */
  apiDownFor: PromDuration;
  /** APIDown: minimum requests per second before the ratio counts (three 5xx of five requests is no outage). Requests per second. Not in seeds; 0.1. */
  apiDownMinRequestsPerS: number;
  /** SlowDatabaseQueries: p95 of db_query_duration_seconds. Seconds. Seeds 003/004: "Slow queries (>1s)", "Database queries above 1s". */
  slowDatabaseQuerySeconds: number;
  /** SlowDatabaseQueries: pending time. Duration. Not in seeds; 10m, one slow report query is not news. */
  slowDatabaseQueryFor: PromDuration;
  /** DatabaseSizeGrowthHigh: growth of a database's size over `databaseSizeGrowthWindow`. Percent. Seed 003: "Database size growth rate" (no figure); 20 % a day fills a disk sized for a year's data in weeks. */
  databaseSizeGrowthPercent: number;
  /** DatabaseSizeGrowthHigh: window the growth is measured over (the size now against the size this long ago). Duration. Not in seeds; 1d. */
  databaseSizeGrowthWindow: PromDuration;
  /** DatabaseSizeGrowthHigh: databases smaller than this never fire (a new database doubles in a day and matters to nobody). Bytes. Not in seeds; 1 GiB. */
  databaseSizeGrowthMinBytes: number;
  /** DatabaseSizeGrowthHigh: pending time. Duration. Not in seeds; 30m, so a bulk import that is cleaned up at once does not notify. */
  databaseSizeGrowthFor: PromDuration;
  /** AIGenerationSlow: p95 of ai_generation_duration_seconds. Seconds. Seed 004: "AI generation above 5s". */
  aiGenerationSlowSeconds: number;
  /** AIGenerationSlow: pending time. Duration. Not in seeds; 10m. */
  aiGenerationSlowFor: PromDuration;
  /** AIUsageSpike: AI generations in the last hour against the same hour one `businessBaselineOffset` ago, above which it fires. Multiple. Seed 003: "High AI usage spike" (no figure); 3x. */
  aiUsageSpikeFactor: number;
  /** AIUsageSpike: minimum generations per hour now before a jump counts (5 -> 15 an hour costs nothing). Generations per hour. Not in seeds; 100. */
  aiUsageSpikeMinPerHour: number;
  /** AIUsageSpike: pending time. Duration. Not in seeds; 15m. */
  aiUsageSpikeFor: PromDuration;
  /** UnusualPostsDrop: posts published in the last hour as a share of the same hour one `businessBaselineOffset` ago, below which it fires. Percent. Seed 003: "Unusual drop in posts" (no figure); 50. */
  postsDropPercent: number;
  /** UnusualPostsDrop: minimum posts in the baseline hour before a drop counts (4 -> 1 at night is no anomaly). Posts per hour. Not in seeds; 10. */
  postsDropMinBaselinePerHour: number;
  /** UnusualPostsDrop: pending time. Duration. Not in seeds; 15m: the hour window already smooths (a pause shows only once half an hour of posts is missing), so `for` only has to ride out a pause whose backlog is then published at once. */
  postsDropFor: PromDuration;
  /** AIUsageSpike, UnusualPostsDrop: how far back the baseline hour lies. Duration. Not in seeds; 1w compares a Monday with a Monday (daily and weekly cycles both cancel). */
  businessBaselineOffset: PromDuration;
  // ---------------------------------------------------------------- stack pack (always on; prometheus-mixin)
  /** PrometheusErrorSendingAlertsToAnyAlertmanager: share of alert sends failing on every Alertmanager. Percent. Not in seeds; prometheus-mixin: 3. */
  stackAlertDeliveryErrorPercent: number;
  /** PrometheusErrorSendingAlertsToAnyAlertmanager: pending time. Duration. Not in seeds; prometheus-mixin: 15m. */
  stackAlertDeliveryErrorFor: PromDuration;

  // ---------------------------------------------------------------- Loki log alerts (seed 000, "Log-Based Alerts")
  /** FatalLogLines: look-back window in which one FATAL/CRITICAL line fires the alert (it stays firing this long). Duration. Seed 000: "Alert when FATAL appears in logs" (immediate); 5m keeps one notification per burst. */
  fatalLogWindow: PromDuration;
  /** ErrorLogVolumeSpike: jump factor of the error-line rate over its baseline. Multiple. Seed 000: "error log volume spikes 5x". */
  errorLogSpikeFactor: number;
  /** ErrorLogVolumeSpike: window of the current error-line rate. Duration. Not in seeds; 5m. */
  errorLogSpikeWindow: PromDuration;
  /** ErrorLogVolumeSpike: window of the baseline rate, measured just before the current window. Duration. Not in seeds; 1h (long enough to average out bursts). */
  errorLogSpikeBaselineWindow: PromDuration;
  /** ErrorLogVolumeSpike: minimum error lines per second before a jump counts (1 -> 5 lines an hour is no incident). Lines per second. Not in seeds; 0.1 (30 lines in 5m). */
  errorLogSpikeMinPerS: number;
  /** ErrorLogVolumeSpike: pending time. Duration. Not in seeds; 5m, so one burst of retries does not notify. */
  errorLogSpikeFor: PromDuration;
}

export const DEFAULT_THRESHOLDS: RuleThresholds = {
  targetDownFor: "5m",
  probeFailedFor: "2m",
  hostDiskUsedPercent: 90,
  hostDiskLowFor: "15m",
  containerRestartedWindow: "15m",
  containerRestartedFor: "0m",

  collectorStalledSeconds: 600,
  collectorStalledFor: "10m",
  queueBacklogWindow: "15m",
  queueBacklogFor: "10m",
  queueOldestPendingSeconds: 1800,
  queueOldestPendingFor: "5m",
  queueStuckProcessingSeconds: 900,
  queueStuckProcessingFor: "5m",
  llmFailureRatePerS: 0.2,
  llmFailureFor: "5m",
  supabaseFailureRatePerS: 0.2,
  supabaseFailureFor: "5m",
  broadcastFailureRatePerS: 0.2,
  broadcastFailureFor: "5m",
  dmFailureRatePerS: 0.2,
  dmFailureFor: "5m",
  dmRateLimitedRatePerS: 0,
  dmRateLimitedWindow: "1m",
  dmRateLimitedFor: "2m",
  parseFailureRatePerS: 0.5,
  parseFailureFor: "5m",
  parseErrorFraction: 0.2,
  parseErrorFractionFor: "10m",
  missingSubjectsRatePerS: 0.2,
  missingSubjectsFor: "15m",

  serviceDownFor: "1m",

  httpErrorRateWarningPercent: 2,
  httpErrorRateWarningFor: "10m",
  httpErrorRateCriticalPercent: 5,
  httpErrorRateCriticalFor: "5m",
  httpErrorRateMinRequestsPerS: 0,
  httpLatencyP95WarningSeconds: 1,
  httpLatencyP95WarningFor: "10m",
  httpLatencyP95CriticalSeconds: 2,
  httpLatencyP95CriticalFor: "10m",

  hostCpuPercent: 80,
  hostCpuFor: "10m",
  hostMemoryWarningPercent: 80,
  hostMemoryWarningFor: "10m",
  hostMemoryCriticalPercent: 90,
  hostMemoryCriticalFor: "5m",
  hostDiskFreeWarningPercent: 15,
  hostDiskFreeWarningFor: "5m",
  hostDiskFreeCriticalPercent: 10,
  hostDiskFreeCriticalFor: "5m",

  containerMemoryWarningPercent: 80,
  containerMemoryWarningFor: "10m",
  containerMemoryCriticalPercent: 90,
  containerMemoryCriticalFor: "5m",
  containerRestartLoopCount: 3,
  containerRestartLoopWindow: "1h",

  postgresDownFor: "1m",
  postgresConnectionsPercent: 80,
  postgresConnectionsFor: "5m",

  redisDownFor: "1m",
  redisHitRatePercent: 70,
  redisHitRateFor: "10m",
  redisHitRateMinLookupsPerS: 0,

  queueDepthWarning: 500,
  queueDepthWarningFor: "15m",
  queueDepthCritical: 1000,
  queueDepthCriticalFor: "10m",
  jobFailurePercent: 10,
  jobFailureFor: "10m",
  workerHeartbeatMaxAgeSeconds: 300,
  workerHeartbeatMissingFor: "1m",
  workerHeartbeatLookback: "1h",

  sloFastBurnRate: 10,
  sloFastBurnLongWindow: "1h",
  sloFastBurnShortWindow: "5m",
  sloFastBurnFor: "2m",
  sloSlowBurnRate: 2,
  sloSlowBurnLongWindow: "6h",
  sloSlowBurnShortWindow: "30m",
  sloSlowBurnFor: "15m",

  certificateExpiryWarningDays: 14,
  certificateExpiryCriticalDays: 3,
  certificateExpiryFor: "10m",

  schedulerExecutionLagSeconds: 300,
  schedulerExecutionLagFor: "10m",
  schedulerSuccessRatePercent: 90,
  schedulerSuccessRateWindow: "30m",
  schedulerSuccessRateFor: "15m",
  schedulerHeartbeatMaxAgeSeconds: 300,
  schedulerOfflineFor: "1m",

  apiDownErrorPercent: 10,
  apiDownFor: "5m",
  apiDownMinRequestsPerS: 0.1,
  slowDatabaseQuerySeconds: 1,
  slowDatabaseQueryFor: "10m",
  databaseSizeGrowthPercent: 20,
  databaseSizeGrowthWindow: "1d",
  databaseSizeGrowthMinBytes: 1073741824,
  databaseSizeGrowthFor: "30m",
  aiGenerationSlowSeconds: 5,
  aiGenerationSlowFor: "10m",
  aiUsageSpikeFactor: 3,
  aiUsageSpikeMinPerHour: 100,
  aiUsageSpikeFor: "15m",
  postsDropPercent: 50,
  postsDropMinBaselinePerHour: 10,
  postsDropFor: "15m",
  businessBaselineOffset: "1w",

  stackAlertDeliveryErrorPercent: 3,
  stackAlertDeliveryErrorFor: "15m",

  fatalLogWindow: "5m",
  errorLogSpikeFactor: 5,
  errorLogSpikeWindow: "5m",
  errorLogSpikeBaselineWindow: "1h",
  errorLogSpikeMinPerS: 0.1,
  errorLogSpikeFor: "5m",
};

/**
 * Problems with a thresholds object, each prefixed with its key
 * (`thresholds.llmFailureFor: ...`). Empty when valid. Checks: no unknown or
 * missing keys, the default's type, finite non-negative numbers, parseable
 * durations, and the percent/fraction ranges.
 */
export function validateThresholds(t: Readonly<Record<string, unknown>>, prefix = "thresholds"): string[] {
  const problems: string[] = [];
  const defaults = DEFAULT_THRESHOLDS as unknown as Record<string, number | string>;
  for (const key of Object.keys(t)) {
    if (!(key in defaults)) problems.push(`${prefix}.${key}: unknown threshold; valid keys: ${Object.keys(defaults).join(", ")}`);
  }
  for (const [key, def] of Object.entries(defaults)) {
    const v = t[key];
    const path = `${prefix}.${key}`;
    if (v === undefined) {
      problems.push(`${path}: missing (default ${JSON.stringify(def)})`);
    } else if (typeof def === "number") {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        problems.push(`${path}: ${JSON.stringify(v)} is not a non-negative number (default ${def})`);
      } else if (/Percent$/.test(key) && v > 100) {
        problems.push(`${path}: ${v} is a percentage and must be at most 100`);
      } else if (key === "parseErrorFraction" && v > 1) {
        problems.push(`${path}: ${v} is a fraction and must be at most 1 (0.2 means 20%)`);
      }
    } else if (typeof v !== "string" || !isPromDuration(v)) {
      problems.push(`${path}: ${JSON.stringify(v)} is not a Prometheus duration such as "30s", "5m", "1h" (default "${def}")`);
    } else if (/Window$/.test(key) && durationMs(v) === 0) {
      // A zero range (`rate(x[0s])`) is a syntax error in both PromQL and LogQL.
      problems.push(`${path}: a range window must be longer than 0, e.g. "${def}"`);
    }
  }
  return problems;
}
