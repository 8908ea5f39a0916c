// Date.prototype.toISOString without ICU. In V8 11 (Node 20) a process's first toISOString pages in
// about 0.8 MiB of ICU's data (time zones among it) although the result is UTC; the bridge, which
// idles for days and stamps every heartbeat, formats its times here instead (see the
// bridge-footprint benchmark). getUTC* read the time value alone.

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** What `toISOString` returns for `time` (a Date or epoch milliseconds; now by default). */
export function isoTimestamp(time: Date | number = Date.now()): string {
  const date = typeof time === "number" ? new Date(time) : time;
  const year = date.getUTCFullYear();
  // Years outside 0..9999 are written with six digits and a sign, and an invalid date throws a
  // RangeError: both rare enough to leave to toISOString. (NaN fails the comparison.)
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}
