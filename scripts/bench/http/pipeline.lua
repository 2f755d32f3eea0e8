-- wrk script: sends 16 pipelined GET /plaintext requests per write, as
-- TechEmpower's pipelined plaintext test does. wrk counts every response.
init = function(args)
  local r = {}
  for i = 1, 16 do
    r[i] = wrk.format("GET", "/plaintext")
  end
  req = table.concat(r)
end

request = function()
  return req
end
