-- wrk script of the load phase (bench/phases.py): every response other than 200 counts as an error
-- (a 302 to the login page included: wrk alone counts only 4xx/5xx), and the run ends with one line
--   @@wrk {"requests": …, "non_200": …, "statuses": {"302": …}, "p50_ms": …, "p95_ms": …, "p99_ms": …}
-- which bench.phases.parse_wrk reads.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non_200 = 0
   statuses = {}
end

function response(status, headers, body)
   if status ~= 200 then
      non_200 = non_200 + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local non200, by_status = 0, {}
   for _, thread in ipairs(threads) do
      non200 = non200 + thread:get("non_200")
      for status, count in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(by_status) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local e = summary.errors
   io.write(string.format(
      '@@wrk {"requests": %d, "duration_s": %.3f, "rps": %.2f, "non_200": %d, "statuses": {%s}, ' ..
      '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
      '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), non200,
      table.concat(parts, ", "), e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000))
end
