import { prepareLiveStack, openLiveStack } from "../tests/e2e/support/live-stack";
(async () => {
  const dir = "/tmp/e2e-smoke"; require("fs").rmSync(dir, {recursive:true, force:true});
  const s = await prepareLiveStack(dir);
  const ns = await openLiveStack(dir, s);
  console.log("started", ns.socket);
  await new Promise(r => setTimeout(r, Number(process.argv[2] ?? 60) * 1000));
  await ns.close();
  console.log("closed");
})().catch(e => { console.error(e); process.exit(1); });
