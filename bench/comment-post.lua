-- wrk script: each request posts a new comment with its own pre-solved human-check answer.
-- Answers come from ANSWERS (one URL-encoded answer per line); threads take alternate lines.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  answers = {}
  for line in io.lines(os.getenv("ANSWERS")) do
    answers[#answers + 1] = line
  end
  nthreads = tonumber(os.getenv("THREADS") or "2")
  index = tonumber(os.getenv("OFFSET") or "0") + id + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/json"
end

function request()
  local i = index
  index = index + nthreads
  if i > #answers then
    i = ((i - 1) % #answers) + 1 -- out of answers: replays, which the server refuses (counted as non-2xx)
  end
  local body = "name=Load+Tester&email=reader" .. i .. "%40example.org&comment=Load+test+comment+number+" .. i ..
      "+with+a+little+text&altcha=" .. answers[i]
  return wrk.format(nil, nil, nil, body)
end
