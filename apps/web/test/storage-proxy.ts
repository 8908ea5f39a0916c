// A fault-injecting HTTP proxy in front of the local S3 server, for the pipeline's proof tests:
// "pass" forwards, "down" refuses every request (storage unreachable), and "swallow" forwards the
// upload but never answers, so the bridge can be killed after the object was stored and before it
// learned so. Headers (Host included) are forwarded untouched, so SigV4 signatures still verify.
import http from "node:http";

export type ProxyMode = "pass" | "down" | "swallow";

export type StorageProxy = {
  endpoint: string;
  mode: ProxyMode;
  /** Requests answered with the upstream's response or swallowed, by method. */
  forwarded: { PUT: number; other: number };
  swallowed: number;
  close(): Promise<void>;
};

export async function startStorageProxy(upstream: string): Promise<StorageProxy> {
  const target = new URL(upstream);
  const held = new Set<http.ServerResponse>();
  const proxy: StorageProxy = {
    endpoint: "",
    mode: "pass",
    forwarded: { PUT: 0, other: 0 },
    swallowed: 0,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    if (proxy.mode === "down") {
      req.resume();
      res.writeHead(503, { "content-type": "application/xml" });
      res.end("<Error><Code>ServiceUnavailable</Code><Message>storage is down (test)</Message></Error>");
      return;
    }
    const swallow = proxy.mode === "swallow" && req.method === "PUT";
    const upstreamReq = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        if (swallow) {
          upstreamRes.resume();
          upstreamRes.on("end", () => proxy.swallowed++);
          held.add(res);
          return;
        }
        if (req.method === "PUT") proxy.forwarded.PUT++;
        else proxy.forwarded.other++;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on("error", () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  proxy.endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return proxy;
}
