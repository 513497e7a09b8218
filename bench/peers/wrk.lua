-- Rotates the request bodies of BODIES_FILE (one JSON body a line) and reports the latency percentiles as JSON.
local bodies = {}
local counter = 0
local token = os.getenv("WRK_AUTH")

function init(args)
  for line in io.lines(os.getenv("BODIES_FILE")) do bodies[#bodies + 1] = line end
end

function request()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json" }
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", "/graphql", headers, bodies[(counter % #bodies) + 1])
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
