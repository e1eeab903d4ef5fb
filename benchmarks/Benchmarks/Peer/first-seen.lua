-- Arguments after "--": the file, whose lines are "<access token> <path>", and the thread count; WRK_CONNECTIONS in
-- the environment gives the connection count.
-- Every request carries a token no request carried before: the threads take disjoint lines (thread i of n the lines
-- i, i + n, ...) and each thread stops sending once its lines are used up. wrk still runs for its whole duration, so
-- the rate is taken from the requests themselves (Little's law: connections / mean latency, all connections busy)
-- and reported as the duration those requests would have taken, in the RESULT line every script prints.
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
  local connections = tonumber(os.getenv("WRK_CONNECTIONS"))
  io.write(string.format("RESULT requests=%d duration_us=%d p99_us=%d non2xx=%d errors=%d\n",
    summary.requests, math.floor(summary.requests * latency.mean / connections), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
