// The system's logs, as the bridge tails /var/log/syslog and /var/log/auth.log on an internet-facing
// VPS: the firewall refusing the background noise of port scans, cron and systemd at work, and SSH
// guessers trying one user name after another between the owner's own logins.

import { syslogTime } from "./log-times";
import { type Random, randomIpv4 } from "./seeded-random";

const HOST = "web-01";
const CRON_JOBS = [
  "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
  "   cd / && run-parts --report /etc/cron.hourly",
  "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
];
const UNITS = [
  "Started session-%s.scope - Session %s of User deploy.",
  "Starting apt-daily.service - Daily apt download activities...",
  "apt-daily.service: Deactivated successfully.",
  "Finished apt-daily.service - Daily apt download activities.",
  "Starting certbot.service - Certbot...",
  "certbot.service: Deactivated successfully.",
  "phpsessionclean.service: Deactivated successfully.",
  "Finished phpsessionclean.service - Clean php session files.",
];
const GUESSED_USERS = [
  "admin",
  "test",
  "ubuntu",
  "user",
  "oracle",
  "postgres",
  "git",
  "ftpuser",
  "guest",
  "support",
  "deploy1",
  "minecraft",
];
const BLOCKED_PORTS = [23, 22, 8080, 3389, 445, 5900, 6379, 1433, 8443, 2375];

/** Process ids, growing as the system runs. */
function processIds(random: Random): () => number {
  let pid = 40_000 + random.below(10_000);
  return () => (pid += 1 + random.below(30));
}

/** The kernel's line for a refused connection attempt (the firewall's SYN from a scanner). */
function firewallBlock(random: Random, uptime: number): string {
  const packet = [
    `SRC=${randomIpv4(random)} DST=203.0.113.10 LEN=${random.pick([40, 44, 60])} TOS=0x00 PREC=0x00`,
    `TTL=${random.pick([236, 241, 245, 49, 113])} ID=${random.below(65_536)} PROTO=TCP`,
    `SPT=${1024 + random.below(64_000)} DPT=${random.pickSkewed(BLOCKED_PORTS)}`,
    `WINDOW=${random.pick([1024, 65535, 29200])} RES=0x00 SYN URGP=0`,
  ].join(" ");
  const since = uptime.toFixed(6).padStart(14);
  return `kernel: [${since}] [UFW BLOCK] IN=eth0 OUT= MAC=96:00:03:a1:5c:2e:d2:74:7f:6e:37:e3:08:00 ${packet}`;
}

export function syslog(random: Random): (at: number) => string {
  const nextPid = processIds(random);
  let uptime = 1_200_000 + random.below(100_000);
  let session = 3_000 + random.below(1_000);
  const prefix = (at: number) => `${syslogTime(at)} ${HOST}`;
  return (at) => {
    const roll = random.next();
    if (roll < 0.55) {
      uptime += random.next() * 2;
      return `${prefix(at)} ${firewallBlock(random, uptime)}`;
    }
    if (roll < 0.8) return `${prefix(at)} CRON[${nextPid()}]: (root) CMD (${random.pickSkewed(CRON_JOBS)})`;
    const unit = random.pick(UNITS);
    if (unit.includes("%s")) session++;
    return `${prefix(at)} systemd[1]: ${unit.replaceAll("%s", String(session))}`;
  };
}

export function authLog(random: Random): (at: number) => string {
  const nextPid = processIds(random);
  const office = "198.51.100.23";
  let guesser = randomIpv4(random);
  let guesses = 0;
  const prefix = (at: number, sshd: number) => `${syslogTime(at)} ${HOST} sshd[${sshd}]: `;
  return (at) => {
    const port = 1024 + random.below(64_000);
    if (random.next() < 0.04) {
      const sshd = nextPid();
      return random.next() < 0.5
        ? `${prefix(at, sshd)}Accepted publickey for deploy from ${office} port ${port} ssh2: ED25519 SHA256:q3Xb6Vn1mOQm1sW0f4X6cJrVhZ0yKp5sTgE2u9aLh8c`
        : `${syslogTime(at)} ${HOST} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart shop`;
    }
    // A guesser works through its list from one address, then another takes over.
    if (++guesses > 10 + random.below(40)) {
      guesser = randomIpv4(random);
      guesses = 0;
    }
    const sshd = nextPid();
    const user = random.pickSkewed(["root", ...GUESSED_USERS]);
    const roll = random.next();
    if (user === "root")
      return `${prefix(at, sshd)}Connection closed by authenticating user root ${guesser} port ${port} [preauth]`;
    if (roll < 0.5) return `${prefix(at, sshd)}Invalid user ${user} from ${guesser} port ${port}`;
    if (roll < 0.8) return `${prefix(at, sshd)}Received disconnect from ${guesser} port ${port}:11: Bye Bye [preauth]`;
    return `${prefix(at, sshd)}Disconnected from invalid user ${user} ${guesser} port ${port} [preauth]`;
  };
}
