-- Shared by every wrk script of the benchmark (loaded with dofile, see below). Each script reads:
--   BENCH_TOKEN    the API token (Authorization: Bearer …)
--   BENCH_RUN      a prefix unique to this wrk run, so the ids it creates are new
--   BENCH_CONTACTS / BENCH_CONTACT_PREFIX   the contacts seeded before the run (clients, attendees, GETs)
--   BENCH_PROJECTS / BENCH_PROJECT_PREFIX   the projects seeded before the run (send-message, events)
-- and done() prints one line "WRK_RESULT {json}" that Casewire.Bench parses.

token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
run = os.getenv("BENCH_RUN") or "wrk"
contacts = tonumber(os.getenv("BENCH_CONTACTS") or "1000")
contact_prefix = os.getenv("BENCH_CONTACT_PREFIX") or "seed-contact-"
projects = tonumber(os.getenv("BENCH_PROJECTS") or "200")
project_prefix = os.getenv("BENCH_PROJECT_PREFIX") or "seed-case-"

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

-- Each wrk thread is its own Lua state: setup() (main state) numbers them, so ids never collide.
local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

seq = 0
function next_id(kind)
   seq = seq + 1
   return string.format("%s-%s-%d-%d", run, kind, tid or 0, seq)
end

function init(args)
   math.randomseed(os.time() * 1000 + (tid or 0))
end

first_names = { "Maria", "James", "Aisha", "Wei", "Olivia", "Mateo", "Fatima", "Liam", "Sofia", "Noah", "Priya", "Lucas" }
last_names = { "Garcia", "Smith", "Okafor", "Chen", "Johnson", "Rossi", "Haddad", "Brown", "Novak", "Kim", "Patel", "Silva" }
case_types = { "Personal Injury", "Family Law", "Estate Planning", "Immigration", "Workers Compensation" }
phases = { "Intake", "Investigation", "Demand Sent", "Negotiation", "Litigation", "Settlement" }

function pick(list) return list[math.random(#list)] end

-- A realistic contact body: names, a unique email, an E.164 number in the fictional 555 range.
function contact_body(external_id)
   local first, last = pick(first_names), pick(last_names)
   return string.format(
      '{"externalId":"%s","firstName":"%s","lastName":"%s","email":"%s.%s.%s@example.com","phone":"+1555%07d"}',
      external_id, first, last, first:lower(), last:lower(), external_id, math.random(0, 9999999))
end

-- A project with one or two existing clients (from the seeded contacts) and a learned type and phase.
function project_body(external_id)
   local clients = '"' .. contact_prefix .. math.random(contacts) .. '"'
   if math.random() < 0.3 then clients = clients .. ',"' .. contact_prefix .. math.random(contacts) .. '"' end
   return string.format(
      '{"externalId":"%s","name":"%s v. Northwind Insurance","partnerPhaseName":"%s","clients":[%s],' ..
      '"partnerProjectTypeName":"%s","milestonesEnabled":true,"status":"In Progress"}',
      external_id, pick(last_names), pick(phases), clients, pick(case_types))
end

function message_body()
   return string.format(
      '{"projectId":"%s%d","text":"Hi, this is your legal team. We received the medical records from the clinic and sent the demand letter today. ' ..
      'We will call you once the insurer answers. Reply here with any questions."}',
      project_prefix, math.random(projects))
end

-- One line of JSON for Casewire.Bench: counts, errors and latency percentiles in microseconds.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,' ..
      '"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
