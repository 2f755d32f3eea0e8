-- wrk script for the todo-api soak (scripts/bench/http/soak.ts): a steady
-- mix that keeps the number of todos bounded, so that memory should stay
-- flat: show and toggle one of the todos the runner created (ids 1..100),
-- create one and delete it again (the id comes back in the 201's body), an
-- invalid create (400), a missing todo (404), and now and then the list.
local n = 0
local created = {}

request = function()
  n = n + 1
  if #created > 0 then
    local id = table.remove(created)
    return wrk.format("DELETE", "/todos/" .. id)
  end
  local k = n % 10
  local id = (n * 7) % 100 + 1
  if k == 0 or k == 5 then
    return wrk.format("POST", "/todos", { ["Content-Type"] = "application/json" },
      '{"title":"soak ' .. n .. '","tags":["a","b"]}')
  elseif k == 1 then
    return wrk.format("PUT", "/todos/" .. id .. "/toggle")
  elseif k == 2 then
    return wrk.format("POST", "/todos", nil, '{"title":"  ","tags":[]}')
  elseif k == 3 then
    return wrk.format("GET", "/todos/999999999")
  elseif k == 4 and n % 50 == 4 then
    return wrk.format("GET", "/todos")
  else
    return wrk.format("GET", "/todos/" .. id)
  end
end

response = function(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"id":(%d+)')
    if id then table.insert(created, id) end
  end
end
