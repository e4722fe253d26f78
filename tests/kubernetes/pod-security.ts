import type { Container, PodSpec } from "./fixtures";

const RESTRICTED_VOLUME_TYPES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/**
 * Violations of the `restricted` Pod Security Standard (which includes
 * `baseline`), control by control as kubernetes.io/docs/concepts/security/pod-security-standards
 * lists them for the latest policy version. An empty list means the pod
 * would be admitted by a namespace labelled `enforce: restricted`.
 */
export function restrictedViolations(pod: PodSpec): string[] {
  const v: string[] = [];
  const podSc = (pod.securityContext ?? {}) as {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type?: string };
    seLinuxOptions?: { type?: string; user?: string; role?: string };
    sysctls?: { name: string }[];
    appArmorProfile?: { type?: string };
  };
  const containers: Container[] = [...(pod.initContainers ?? []), ...pod.containers];

  // baseline
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"] as const) if (pod[ns]) v.push(`${ns} is true`);
  for (const vol of pod.volumes ?? []) {
    if ("hostPath" in vol) v.push(`volume ${String(vol.name)} is a hostPath`);
    const type = Object.keys(vol).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUME_TYPES.has(type)) v.push(`volume ${String(vol.name)} has type ${type}`);
  }
  for (const s of podSc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) v.push(`unsafe sysctl ${s.name}`);
  const seLinux = (o?: { type?: string; user?: string; role?: string }, where = "pod") => {
    if (!o) return;
    if (!SELINUX_TYPES.has(o.type ?? "")) v.push(`${where}: SELinux type ${o.type}`);
    if (o.user || o.role) v.push(`${where}: SELinux user/role set`);
  };
  seLinux(podSc.seLinuxOptions);
  const appArmorOk = (t?: string) => t === undefined || t === "RuntimeDefault" || t === "Localhost";
  if (!appArmorOk(podSc.appArmorProfile?.type)) v.push(`pod: AppArmor ${podSc.appArmorProfile?.type}`);

  // restricted, pod level
  if (podSc.runAsUser === 0) v.push("pod: runAsUser 0");
  const podSeccomp = podSc.seccompProfile?.type;
  if (podSeccomp !== undefined && podSeccomp !== "RuntimeDefault" && podSeccomp !== "Localhost") v.push(`pod: seccomp ${podSeccomp}`);

  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as NonNullable<Container["securityContext"]> & {
      privileged?: boolean;
      allowPrivilegeEscalation?: boolean;
      runAsNonRoot?: boolean;
      runAsUser?: number;
      procMount?: string;
      seccompProfile?: { type?: string };
      seLinuxOptions?: { type?: string; user?: string; role?: string };
      appArmorProfile?: { type?: string };
    };
    const at = `container ${c.name}`;
    if (sc.privileged) v.push(`${at}: privileged`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${at}: hostPort ${p.hostPort}`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") v.push(`${at}: procMount ${sc.procMount}`);
    seLinux(sc.seLinuxOptions, at);
    if (!appArmorOk(sc.appArmorProfile?.type)) v.push(`${at}: AppArmor ${sc.appArmorProfile?.type}`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${at}: allowPrivilegeEscalation is not false`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) v.push(`${at}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) v.push(`${at}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") v.push(`${at}: seccomp profile ${seccomp ?? "unset"}`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${at}: capabilities not dropping ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") v.push(`${at}: adds capability ${cap}`);
  }
  return v;
}
