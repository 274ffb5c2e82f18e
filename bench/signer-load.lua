-- wrk script for bench/signer-load.sh: POST /uploads with a bearer token per user, rotating over
-- the tokens file given after "--", each request a different declared size. Requests are built once
-- in init(), so wrk spends almost nothing per request. done() prints one machine-readable line.
local requests = {}
local n = 0
local i = 0

init = function(args)
  local file = args[1]
  if file == nil then
    error("usage: wrk ... -s signer-load.lua URL -- TOKENS_FILE")
  end
  local k = 0
  for token in io.lines(file) do
    if token ~= "" then
      k = k + 1
      local size = 1 + (k * 7919) % 5000000
      local body = '{"profile":"avatar","contentType":"image/png","size":' .. size .. '}'
      requests[k] = wrk.format("POST", "/uploads",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
    end
  end
  n = k
  if n == 0 then
    error("no tokens in " .. file)
  end
  -- threads start at different users
  i = math.random(n) - 1
end

request = function()
  i = i % n + 1
  return requests[i]
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d write_errors=%d " ..
    "timeouts=%d status_errors=%d mean_us=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
