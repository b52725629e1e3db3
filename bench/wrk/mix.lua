-- The soak's mixed traffic, paced to BENCH_RATE requests/s over all connections (BENCH_CONNECTIONS):
-- a nightly sync (contacts created and updated, cases created), explicit messages, calendar events whose
-- reminders fall due a minute later, and reads. Everything that leaves goes through the running dispatcher.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
local rate = tonumber(os.getenv("BENCH_RATE") or "150")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "8")

function delay()
   return 1000 * connections / rate
end

local function event_body()
   -- Starts in 5 minutes; its 4-minute reminder is due in about a minute, during the soak.
   local start = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() + 300)
   return string.format(
      '{"id":"%s","projectId":"%s%d","title":"Deposition","startTime":"%s","location":"Suite 400, 12 Main St",' ..
      '"attendees":["%s%d"],"reminders":[{"unit":"minute","amount":4},{"unit":"day","amount":1}]}',
      next_id("event"), project_prefix, math.random(projects), start, contact_prefix, math.random(contacts))
end

function request()
   local r = math.random(100)
   if r <= 20 then return wrk.format("PUT", "/partner/v2/contacts", nil, contact_body(next_id("contact")))
   elseif r <= 35 then return wrk.format("PUT", "/partner/v2/contacts", nil, contact_body(contact_prefix .. math.random(contacts)))
   elseif r <= 45 then return wrk.format("PUT", "/partner/v2/projects", nil, project_body(next_id("case")))
   elseif r <= 60 then return wrk.format("POST", "/partner/v2/send-message", nil, message_body())
   elseif r <= 65 then return wrk.format("POST", "/partner/v2/calendar-event", nil, event_body())
   elseif r <= 90 then return wrk.format("GET", "/partner/v2/contacts/" .. contact_prefix .. math.random(contacts))
   else return wrk.format("GET", "/partner/v2/me") end
end
