-- wrk script: GET /api/search with the queries in $QUERIES (one per line), each thread
-- starting at its own offset.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  queries[#queries + 1] = line
end
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local q = queries[((counter * 7 + thread_id * 101) % #queries) + 1]
  q = q:gsub(" ", "+")
  return wrk.format("GET", "/api/search?q=" .. q)
end
