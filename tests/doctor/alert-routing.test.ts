/**
 * `npm run doctor` says when a running stack's alerts go nowhere: it reads
 * Alertmanager's loaded config (/api/v2/status) and warns, without failing,
 * when no receiver has an integration or the Watchdog reaches no one.
 */
import { alertmanagerConfig, ALERTMANAGER_CONFIG_RENDER_PATH, type AlertmanagerConfigOptions } from "../../configs/alertmanager/alertmanager";
import { alertRoutingChecks } from "../../scripts/doctor";
import { everyIntegration, noReceivers, telegramOnly } from "../alertmanager/fixtures";

const loaded = (o: AlertmanagerConfigOptions) => alertmanagerConfig(o).files.find((f) => f.path === ALERTMANAGER_CONFIG_RENDER_PATH)!.content;

describe("doctor's alert-routing check", () => {
  it("warns that alerts go nowhere, and that the Watchdog reaches no one, without receivers", () => {
    expect(alertRoutingChecks(loaded(noReceivers))).toEqual([
      expect.objectContaining({ status: "warn", what: "alert routing", detail: expect.stringMatching(/^alerts go nowhere/) }),
      expect.objectContaining({ status: "warn", what: "dead man's switch", detail: expect.stringMatching(/Watchdog reaches no one/) }),
    ]);
  });

  it("warns about the dead man's switch alone when receivers exist but none takes the Watchdog", () => {
    const [routing, deadMan] = alertRoutingChecks(loaded(telegramOnly));
    expect(routing).toMatchObject({ status: "ok", detail: "alerts reach telegram" });
    expect(deadMan).toMatchObject({ status: "warn" });
  });

  it("is content when the Watchdog goes to a dead man's switch", () => {
    const [routing, deadMan] = alertRoutingChecks(loaded(everyIntegration));
    expect(routing.status).toBe("ok");
    expect(deadMan).toMatchObject({ status: "ok", detail: "Watchdog reaches heartbeat" });
  });
});
