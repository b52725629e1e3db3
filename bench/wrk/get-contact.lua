-- GET /partner/v2/contacts/{externalId} of a random seeded contact (the scale benchmark: 1,000 vs 1,000,000 rows).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
function request()
   return wrk.format("GET", "/partner/v2/contacts/" .. contact_prefix .. math.random(contacts))
end
