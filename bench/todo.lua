-- todo.lua — wrk's requests for the todo API (bench/run http): reads of the
-- list, and one write in ten (a PUT that marks a todo done).
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("PUT", "/todos/" .. (n % 20 + 1), { ["Content-Type"] = "application/json" },
                      '{"done":true}')
  end
  return wrk.format("GET", "/todos")
end
