// A reverse proxy in front of a test control plane that answers some paths itself and forwards
// everything else, WebSocket upgrades included: it lets a test show the install script a control
// plane built for another platform or Node, without changing the control plane.
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";

export type RewritingProxy = { url: string; close(): Promise<void> };

export async function startRewritingProxy(target: string, answers: Record<string, string>): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const answer = answers[new URL(req.url ?? "/", target).pathname];
    if (answer !== undefined) {
      res.writeHead(200, { "content-type": "text/plain" }).end(answer);
      return;
    }
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  server.on("upgrade", (req, socket, head) => {
    const connection = net.connect(Number(upstream.port), upstream.hostname, () => {
      const headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      connection.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      connection.write(head);
      socket.pipe(connection).pipe(socket);
    });
    const end = () => {
      socket.destroy();
      connection.destroy();
    };
    connection.on("error", end);
    socket.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
