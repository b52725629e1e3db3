using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

// The POST endpoints, both with Idempotency-Key (SPEC §1): send-message (§4) and calendar-event (§5).

public sealed class SendMessageFuzzer() : BodyFuzzer("POST", "/partner/v2/send-message", "projectId",
[
    """{ "projectId": "123-3123-123", "text": "New Project", "authorId": "32435", }""",
    """{ "projectId": "matter-1", "text": "Your hearing moved to Friday.", "authorId": "32435" }""",
    """{ "phoneNumber": "+15551234567", "text": "Reminder: bring your ID." }""",
    """{ "projectId": 1234, "phoneNumber": "(555) 123-4567", "text": "Numbers are ids too", "authorId": 32435 }""",
])
{
    protected override IReadOnlyCollection<string> Related(string field) =>
        field is "projectId" or "phoneNumber" ? ["projectId", "phoneNumber"] : [field];

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random)
    {
        if (body["projectId"] is not null && random.Chance(0.6)) body["projectId"] = random.Pick(tenant.Projects.Keys.ToList());
        if (random.Chance(0.2)) body["authorId"] = random.Pick<string>(["jane.smith", "nobody", "32435 "]);
    }

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = base.Next(tenant, random);
        request.SentKey = null; // projectId is a reference here, not the key of what is created
        return request;
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        ObserveKey(tenant, request, response, wrong);
        if (!IsSuccess(response)) return;
        if (response.Status != 202) wrong.Add($"{response.Status}: send-message answers 202");
        if (response.Int("id") is not { } id)
        {
            wrong.Add("202 without a message id");
            return;
        }
        var replayed = response.Header("Idempotent-Replayed") == "true";
        if (replayed != tenant.Messages.Contains(id))
            wrong.Add(replayed ? $"replayed message {id}, which send-message never accepted" : $"202 with the id {id} of an earlier message");
        if (response.Json?["recipients"] is not JsonArray { Count: > 0 }) wrong.Add("202 without recipients");
        tenant.Messages.Add(id);
    }
}

public sealed class CalendarEventPostFuzzer() : BodyFuzzer("POST", "/partner/v2/calendar-event", "id",
[
    """{ "id": "XYZ123", "projectId": "1234", "title": "Jane Smith Desposition", "attendees": ["john.doe@example.com"], "teamMembers": ["sam.park@example.com"], "otherMembers": ["jane.smith@example.com"], "startTime": "2024-01-01 08:00:00", "endTime": "2024-01-01 08:30:00", "timezone": "EST", "location": "1234 courtroom road, new york", "description": "this is a description", "reminders": [{"unit": "day", "amount":"1"}], "notify": true, }""",
    """{ "id": "XYZ123", "projectId": "matter-1", "title": "Jane Smith Deposition", "attendees": ["123-3123-123"], "teamMembers": ["32435"], "startTime": "2026-03-10 09:00:00", "timezone": "EST", "location": "1234 Courtroom Road, New York", "reminders": [{"unit": "day", "amount": 1}, {"unit": "hour", "amount": 2}], "notify": true }""",
    """{ "id": "evt-2", "projectId": "matter-1", "title": "Call", "attendees": [1, "+15551234567", {"email": "jane.doe@example.com"}], "startTime": "2026-02-01T15:00:00Z", "reminder": [{"unit": "Minutes", "amount": 30}] }""",
])
{
    static readonly string[] Times = Strings(
        "0001-01-01 00:00:00", "0001-01-01T00:00:00Z", "0001-01-02 00:00", "0001-01-01T00:00:00+14:00", "9999-12-31 23:59:59", "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-14:00", "9999-12-31 23:45", "2026-02-29 10:00", "2028-02-29 10:00", "2026-03-08 02:30:00", "2026-11-01 01:30:00",
        "2026-03-10T09:00:00.1234567+05:45", "2026-03-10 24:00:00", "2026-03-10T09:00:00+99:00", "+002026-03-10T09:00", "-0001-01-01T00:00",
        "2026-W11-2", "1773133200", "2026-03-10T09:00:00.9999999Z", "2026-01-06 10:00:00", "2026-01-06T15:00:00.001Z", "2026-01-06 09:59");

    protected override IReadOnlyDictionary<string, string[]> FieldValues { get; } = new Dictionary<string, string[]>
    {
        ["startTime"] = Times,
        ["endTime"] = Times,
        ["timezone"] = Strings(
            "+14:00", "-14:00", "UTC+14", "UTC-12", "+15:00", "Etc/GMT+12", "Etc/GMT-14", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati",
            "Pacific/Chatham", "Antarctica/Troll", "LMT", "PST8PDT", "Factory", "america/new_york", "Dateline Standard Time", "+5", "-0530", "UTC-00:00"),
        ["reminders"] =
        [
            """[{"unit":"day","amount":365}]""", """[{"unit":"day","amount":366}]""", """[{"unit":"minute","amount":525600}]""",
            """[{"unit":"minute","amount":525601}]""", """[{"unit":"hours","amount":8760}]""", """[{"unit":"day","amount":"1 "}]""",
            """[{"unit":"day","amount":"+1"}]""", """[{"unit":"day","amount":1.5}]""", """[{"unit":"day","amount":1e2}]""",
            """[{"unit":"DAY","amount":1},{"unit":"days","amount":"1"}]""", """[{"unit":"fortnight","amount":1}]""", """[{"Unit":"day","AMOUNT":1}]""",
            """[{"unit":"day","amount":1,"unit":"hour"}]""", """[{"unit":"minute","amount":1}]""",
            "[" + string.Join(",", Enumerable.Repeat("""{"unit":"hour","amount":1}""", 11)) + "]",
            "[" + string.Join(",", Enumerable.Range(1, 10).Select(i => $$"""{"unit":"day","amount":{{i * 36}}}""")) + "]",
        ],
    };

    protected override IReadOnlyCollection<string> Related(string field) => field switch
    {
        "startTime" or "endTime" or "timezone" => ["startTime", "endTime", "timezone"],
        "reminders" or "reminder" => ["reminders", "reminder"],
        _ => [field],
    };

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random)
    {
        var id = ChooseKey(random, tenant.Events.Keys, "evt");
        body["id"] = id;
        body["projectId"] = tenant.Events.TryGetValue(id, out var project) && random.Chance(0.8) ? project : random.Pick(tenant.Projects.Keys.ToList());
        if (random.Chance(0.5))
        {
            // A time in the coming months, so reminders are planned (and sent to the outbox), not skipped.
            var start = new DateTime(2026, 1, 7).AddDays(random.Next(0, 200)).AddMinutes(15 * random.Next(0, 96));
            body["startTime"] = start.ToString(random.Chance(0.5) ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd'T'HH:mm");
            body.Remove("endTime");
            body["timezone"] = random.Pick<string>(["EST", "America/Chicago", "PT", "UTC", "+05:30", "Eastern Standard Time"]);
        }
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        ObserveKey(tenant, request, response, wrong);
        if (!IsSuccess(response)) return;
        var id = response.String("id");
        var project = response.String("projectId");
        if (id is null || project is null)
        {
            wrong.Add($"{response.Status} without id and projectId");
            return;
        }
        if (response.Status is not (200 or 201)) wrong.Add($"{response.Status}: a create-or-update answers 201 or 200");
        var replayed = response.Header("Idempotent-Replayed") == "true";
        if (tenant.Events.TryGetValue(id, out var before))
        {
            if (response.Status == 201 && !replayed) wrong.Add($"201 Created for event '{id}', which already existed");
            if (before != project) wrong.Add($"event '{id}' moved from project '{before}' to '{project}'");
        }
        else if (response.Status != 201) wrong.Add($"{response.Status} for event '{id}', which did not exist: expected 201");
        if (request.SentKey is { } sent && id != sent.Trim()) wrong.Add($"sent id '{sent}', stored '{id}'");
        tenant.Events[id] = project;
    }
}
