-- wrk script: a mix of requests read from a plan file, one per line: METHOD PATH USER
-- (USER 0 is an anonymous visitor, n > 0 the n-th line of the sessions file: "cookie csrf").
-- Each wrk thread walks the plan from its own random start. Prints the JSON line report.lua does.
local plan_path = os.getenv("BENCH_PLAN")
local sessions_path = os.getenv("BENCH_SESSIONS")
local origin = os.getenv("BENCH_ORIGIN") or ""

local plan, sessions = {}, {}
for line in io.lines(plan_path) do
  local method, path, user = line:match("^(%S+) (%S+) (%d+)$")
  plan[#plan + 1] = {method, path, tonumber(user)}
end
for line in io.lines(sessions_path) do
  local cookie, csrf = line:match("^(.-)\t(%S+)$")
  sessions[#sessions + 1] = {cookie, csrf}
end

local position = 0
setup = function(thread) thread:set("seed", math.random(1, #plan)) end
init = function() position = seed or 1 end

request = function()
  position = position % #plan + 1
  local method, path, user = plan[position][1], plan[position][2], plan[position][3]
  local headers = {}
  if user > 0 then
    local session = sessions[user]
    headers["Cookie"] = session[1]
    if method == "POST" then
      headers["X-CSRFToken"] = session[2]
      headers["Referer"] = origin .. path
      headers["HX-Request"] = "true"
    end
  end
  return wrk.format(method, path, headers, nil)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout
  ))
end
