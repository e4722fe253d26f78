/**
 * Stand-in for Telegram/Slack in the live e2e suite: records every
 * Alertmanager webhook notification it gets, with the receiver taken from the
 * URL path (`POST /<receiver>`).
 *   GET /_received  -> every notification so far, oldest first
 *
 * usage: node -r ts-node/register/transpile-only webhook.ts <port>
 */
import * as http from "http";

/** Alertmanager's webhook payload (version 4), the fields the suite reads. */
export interface WebhookPayload {
  readonly receiver: string;
  readonly status: "firing" | "resolved";
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly externalURL: string;
  readonly alerts: {
    readonly status: "firing" | "resolved";
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly startsAt: string;
    readonly endsAt: string;
  }[];
}

export interface Notification {
  /** URL path the notification was posted to, without the leading slash. */
  readonly path: string;
  /** Unix ms when it arrived. */
  readonly at: number;
  readonly body: WebhookPayload;
}

function main(): void {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port)) throw new Error("usage: webhook.ts <port>");
  const received: Notification[] = [];
  http
    .createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (req.method === "GET" && req.url === "/_received") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(received));
          return;
        }
        if (req.method === "POST") {
          try {
            received.push({ path: (req.url ?? "/").slice(1), at: Date.now(), body: JSON.parse(body) as WebhookPayload });
            res.end("ok");
          } catch (err) {
            res.writeHead(400);
            res.end(`not JSON: ${(err as Error).message}`);
          }
          return;
        }
        res.writeHead(404);
        res.end();
      });
    })
    .listen(port, "0.0.0.0", () => process.stdout.write(`webhook listening on :${port}\n`));
}

if (require.main === module) main();
