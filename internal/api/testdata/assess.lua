-- wrk script for POST /v1/assessments: one US lithium carbonate declaration
-- (HS 283691, origin CL) per request, each with a new id, so that every
-- request is assessed and recorded (a repeated id would only be read back).
-- With MINERALPACT_WRK_QUOTA=1, one US import of tungsten concentrate (HS
-- 26110060, origin RW) instead, on the first-come quota us-trq-w-conc, so
-- that every request writes an assessment and an allocation, each with its
-- audit record (issue 12; once the 2,000 t are used up, each allocation
-- grants nothing and is still written).
-- The route needs a customs officer of the US: the token's secret is read
-- from MINERALPACT_TOKEN (mineralpact token create --role customs --party US).
--   MINERALPACT_TOKEN=mpt_... wrk -t2 -c64 -d20s --latency -s internal/api/testdata/assess.lua http://127.0.0.1:8080
local counter = 0
local prefix = ""
local token = os.getenv("MINERALPACT_TOKEN") or ""
local line = '"origin":"CL","hs_code":"283691","quantity":"20","unit":"t","customs_value":"150000"'
if (os.getenv("MINERALPACT_WRK_QUOTA") or "") ~= "" then
  line = '"origin":"RW","hs_code":"26110060","quantity":"20","unit":"t","customs_value":"300000"'
end

function setup(thread)
  thread:set("tid", tostring(math.random(1, 1e9)))
end

function init(args)
  prefix = "W" .. (tid or "0") .. "-" .. tostring(math.random(1, 1e9)) .. "-"
end

function request()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. counter .. '","accepted_on":"2026-03-02","importer":"US",' ..
    line .. ',"currency":"USD","incoterm":"FOB"}'
  return wrk.format("POST", "/v1/assessments", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
