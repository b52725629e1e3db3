-- POST /partner/v2/send-message to a seeded project's clients: each request queues one text per client,
-- which the running dispatcher sends (sink) while the load goes on.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
function request()
   return wrk.format("POST", "/partner/v2/send-message", nil, message_body())
end
