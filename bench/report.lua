-- wrk script: one JSON line with throughput, p50/p95 latency (ms) and errors (status >= 400, sockets).
-- One address (BENCH_PATH, BENCH_METHOD, BENCH_COOKIE, BENCH_CSRF, BENCH_MISS), or, with BENCH_PLAN,
-- a mix read from a plan file, one request per line: METHOD PATH USER (USER 0 is an anonymous
-- visitor, n > 0 the n-th line of BENCH_SESSIONS: "cookie<TAB>csrf"); each wrk thread walks the
-- plan from its own random start.
local path = os.getenv("BENCH_PATH") or "/"
local method = os.getenv("BENCH_METHOD") or "GET"
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local origin = os.getenv("BENCH_ORIGIN") or ""
local miss = os.getenv("BENCH_MISS")
local plan_path = os.getenv("BENCH_PLAN")
local salt = tostring({}):match("0x(%x+)") or "0"  -- differs between wrk's threads
local counter = 0

local plan, sessions, position = {}, {}, 0
if plan_path then
  for line in io.lines(plan_path) do
    local m, p, user = line:match("^(%S+) (%S+) (%d+)$")
    plan[#plan + 1] = {m, p, tonumber(user)}
  end
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    local c, token = line:match("^(.-)\t(%S+)$")
    sessions[#sessions + 1] = {c, token}
  end
  setup = function(thread) thread:set("seed", math.random(1, #plan)) end
  init = function() position = seed or 1 end
end

local function headers_for(target, request_method, request_cookie, request_csrf)
  local headers = {}
  if request_cookie then headers["Cookie"] = request_cookie end
  if request_csrf and request_method == "POST" then
    headers["X-CSRFToken"] = request_csrf
    headers["Referer"] = origin .. target
    headers["HX-Request"] = "true"
  end
  return headers
end

request = function()
  if plan_path then
    position = position % #plan + 1
    local m, p, user = plan[position][1], plan[position][2], plan[position][3]
    local session = sessions[user] or {}
    return wrk.format(m, p, headers_for(p, m, session[1], session[2]), nil)
  end
  local target = path
  if miss then
    counter = counter + 1
    target = path .. (path:find("?", 1, true) and "&" or "?") .. "miss=" .. salt .. "-" .. counter
  end
  return wrk.format(method, target, headers_for(target, method, cookie, csrf), nil)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout
  ))
end
