-- GET /partner/v2/me: authentication + routing + JSON, the floor every other endpoint is compared with.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
wrk.method = "GET"
wrk.path = "/partner/v2/me"
