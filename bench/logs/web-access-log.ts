// The web server's access log (nginx's combined format), as the bridge tails it: load-balancer
// health checks, static assets, API calls from browsers and mobile apps, and scanners probing for
// well-known holes. As in real traffic, a few clients, routes and records make most requests and a
// route's responses are of similar sizes.

import { accessLogTime } from "./log-times";
import { type Random, randomIpv4 } from "./seeded-random";

const BROWSERS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
];
const API_CLIENTS = ["okhttp/4.12.0", "MyShop/3.4.1 (iOS 18.1)", "python-requests/2.32.3", ...BROWSERS];
const ASSETS = [
  ["/static/js/main.4f1c2b9e.js", 184_213],
  ["/static/css/main.91ad03c7.css", 23_884],
  ["/static/js/vendor.0b7e5d21.js", 412_977],
  ["/favicon.ico", 15_086],
  ["/static/img/logo.svg", 3_412],
] as const;
const PROBES = [
  "/wp-login.php",
  "/.env",
  "/.git/config",
  "/phpmyadmin/",
  "/cgi-bin/luci",
  "/admin/config.php",
  "/xmlrpc.php",
];
const SEARCHES = ["shoes", "red+dress", "laptop", "usb-c+cable", "coffee", "desk+lamp"];
const SITE = "https://shop.example.com";

/** One request as the combined format logs it. */
type Hit = { client: string; request: string; status: number; bytes: number; referer: string; agent: string };

function combinedLine(at: number, { client, request, status, bytes, referer, agent }: Hit): string {
  return `${client} - - [${accessLogTime(at)}] "${request} HTTP/1.1" ${status} ${bytes} "${referer}" "${agent}"`;
}

export function webAccessLog(random: Random): (at: number) => string {
  const clients = Array.from({ length: 400 }, () => randomIpv4(random));
  const page = `${SITE}/`;
  const healthCheck = (): Hit => ({
    client: random.pick(["10.0.0.2", "10.0.0.3"]),
    request: "GET /healthz",
    status: 200,
    bytes: 2,
    referer: "-",
    agent: "ELB-HealthChecker/2.0",
  });
  const asset = (client: string): Hit => {
    const [path, size] = random.pickSkewed(ASSETS);
    const cached = random.next() < 0.6;
    const agent = random.pickSkewed(BROWSERS);
    return {
      client,
      request: `GET ${path}`,
      status: cached ? 304 : 200,
      bytes: cached ? 0 : size,
      referer: page,
      agent,
    };
  };
  const apiCall = (client: string): Hit => {
    const call = { client, referer: page, agent: random.pickSkewed(API_CLIENTS) };
    const roll = random.next();
    if (roll < 0.45) {
      const item = Math.floor(5000 * random.next() ** 2);
      const found = random.next() < 0.97;
      const bytes = found ? 1_180 + random.below(160) : 43;
      return { ...call, request: `GET /api/items/${item}`, status: found ? 200 : 404, bytes };
    }
    if (roll < 0.65) {
      const request = `GET /api/search?q=${random.pickSkewed(SEARCHES)}&page=${1 + random.below(3)}`;
      return { ...call, request, status: 200, bytes: 8_900 + random.below(2_400) };
    }
    if (roll < 0.8) return { ...call, request: "GET /api/cart", status: 200, bytes: 312 + random.below(40) };
    if (roll < 0.9) return { ...call, request: "POST /api/cart/items", status: 201, bytes: 87 };
    const request = `GET /api/users/${random.below(10_000)}/orders`;
    return { ...call, request, status: 200, bytes: 2_050 + random.below(900) };
  };
  const probe = (): Hit => ({
    client: randomIpv4(random),
    request: `GET ${random.pick(PROBES)}`,
    status: 404,
    bytes: 162,
    referer: "-",
    agent: random.pick(["curl/8.5.0", "Mozilla/5.0 zgrab/0.x", "Go-http-client/1.1"]),
  });
  return (at) => {
    const roll = random.next();
    if (roll < 0.2) return combinedLine(at, healthCheck());
    if (roll < 0.5) return combinedLine(at, asset(random.pickSkewed(clients)));
    if (roll < 0.95) return combinedLine(at, apiCall(random.pickSkewed(clients)));
    return combinedLine(at, probe());
  };
}
