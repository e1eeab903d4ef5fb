-- Each line of the file named after "--" is "<access token> <path>". Every request carries a token no request
-- carried before: the threads take disjoint lines (thread i of n the lines i, i + n, ...) and each thread stops once
-- its lines are used up, so the run lasts as long as its tokens do and the rate is over that time.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  entries = {}
  local count = tonumber(args[2])
  local index = 0
  for line in io.lines(args[1]) do
    local token, path = line:match("^(%S+) (%S+)$")
    if token then
      if index % count == id - 1 then
        entries[#entries + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
      end
      index = index + 1
    end
  end
  next_index = 0
end

function request()
  next_index = next_index + 1
  if next_index >= #entries then
    -- The few requests still in flight when the thread stops reuse the last token.
    wrk.thread:stop()
    return entries[#entries]
  end
  return entries[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p99_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
