-- wrk script: one JSON line with throughput, p50/p95 latency (ms) and errors (status >= 400, sockets).
local path = os.getenv("BENCH_PATH") or "/"
local method = os.getenv("BENCH_METHOD") or "GET"
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local origin = os.getenv("BENCH_ORIGIN") or ""
local miss = os.getenv("BENCH_MISS")
local salt = tostring({}):match("0x(%x+)") or "0"  -- differs between wrk's threads
local counter = 0

request = function()
  local target = path
  if miss then
    counter = counter + 1
    target = path .. (path:find("?", 1, true) and "&" or "?") .. "miss=" .. salt .. "-" .. counter
  end
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if csrf then
    headers["X-CSRFToken"] = csrf
    headers["Referer"] = origin .. target
    headers["HX-Request"] = "true"
  end
  return wrk.format(method, target, headers, nil)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout
  ))
end
