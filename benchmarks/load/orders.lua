-- Each line of the file named after "--" is "<access token> <path>"; requests cycle through them, so every
-- request carries one of many users' tokens, as an API in front of real clients sees.
local entries = {}
local next_index = 0

-- WRK_INTERVAL_MS paces each connection: it waits that long before each request, so the load is a steady rate rather
-- than as much as the machine can serve. Unset, requests follow each other at once.
local interval_ms = tonumber(os.getenv("WRK_INTERVAL_MS") or "")
if interval_ms then
  function delay()
    return interval_ms
  end
end

function init(args)
  for line in io.lines(args[1]) do
    local token, path = line:match("^(%S+) (%S+)$")
    if token then
      entries[#entries + 1] = { path = path, headers = { ["Authorization"] = "Bearer " .. token } }
    end
  end
  -- Threads start at different users so they do not march in step.
  next_index = math.random(#entries)
end

function request()
  next_index = next_index % #entries + 1
  local entry = entries[next_index]
  return wrk.format("GET", entry.path, entry.headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p99_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
