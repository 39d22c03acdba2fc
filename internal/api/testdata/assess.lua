-- wrk script for POST /v1/assessments: one US lithium carbonate declaration
-- (HS 283691, origin CL) per request, each with a new id, so that every
-- request is assessed and recorded (a repeated id would only be read back).
-- The route needs a customs officer of the US: the token's secret is read
-- from MINERALPACT_TOKEN (mineralpact token create --role customs --party US).
--   MINERALPACT_TOKEN=mpt_... wrk -t2 -c64 -d20s --latency -s internal/api/testdata/assess.lua http://127.0.0.1:8080
local counter = 0
local prefix = ""
local token = os.getenv("MINERALPACT_TOKEN") or ""

function setup(thread)
  thread:set("tid", tostring(math.random(1, 1e9)))
end

function init(args)
  prefix = "W" .. (tid or "0") .. "-" .. tostring(math.random(1, 1e9)) .. "-"
end

function request()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. counter .. '","accepted_on":"2026-03-02","importer":"US","origin":"CL",' ..
    '"hs_code":"283691","quantity":"20","unit":"t","customs_value":"150000","currency":"USD","incoterm":"FOB"}'
  return wrk.format("POST", "/v1/assessments", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
