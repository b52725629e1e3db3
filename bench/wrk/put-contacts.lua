-- PUT /partner/v2/contacts: every request creates a new contact (distinct externalIds, realistic bodies).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
function request()
   return wrk.format("PUT", "/partner/v2/contacts", nil, contact_body(next_id("contact")))
end
