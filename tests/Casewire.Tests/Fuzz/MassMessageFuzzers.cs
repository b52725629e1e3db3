using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

// The mass messages of SPEC §12: POST (with Idempotency-Key), the list, GET and DELETE by id.

public sealed class MassMessagePostFuzzer() : BodyFuzzer("POST", "/partner/v2/mass-messages", "text",
[
    """{ "text": "Hi {client.firstName}, the courthouse is closed Friday.", "filter": { "projectIds": ["matter-1"] } }""",
    """{ "text": "{company.name} has moved.", "filter": { "projectTypes": ["Personal Injury"], "statuses": ["In Progress"], "milestonesEnabled": false }, "sendAt": "2031-05-01T09:00:00-04:00", "keepOutOfConversations": true, }""",
    """{ "text": "Hello {client.firstName}", "filter": { "phases": ["Intake"] }, "sendAt": "2031-05-01 09:00", "withinDeliveryWindow": true }""",
])
{
    protected override IReadOnlyCollection<string> Related(string field) =>
        field.StartsWith("filter", StringComparison.Ordinal) ? ["filter", "filter.projectTypes", "filter.phases", "filter.statuses", "filter.projectIds", "filter.milestonesEnabled"] : [field];

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random)
    {
        if (random.Chance(0.6) && tenant.Projects.Count > 0)
            body["filter"] = new JsonObject { ["projectIds"] = new JsonArray(random.Pick(tenant.Projects.Keys.ToList())) };
    }

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = base.Next(tenant, random);
        request.SentKey = null; // nothing is keyed by the text
        return request;
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        ObserveKey(tenant, request, response, wrong);
        if (!IsSuccess(response)) return;
        if (response.Status != 202) wrong.Add($"{response.Status}: mass-messages answers 202");
        if (response.Int("id") is not { } id)
        {
            wrong.Add("202 without a mass message id");
            return;
        }
        if (response.Int("recipients") is not > 0) wrong.Add("202 for a mass message that reaches nobody");
        tenant.MassMessages.Add(id);
    }
}

/// <summary><c>GET mass-messages</c>: limits and cursors, valid and not; every item is this company's.</summary>
public sealed class MassMessageListFuzzer() : EndpointFuzzer("GET", "/partner/v2/mass-messages")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var limit = random.Pick<string>(["", "?limit=1", "?limit=50", "?limit=200", "?limit=0", "?limit=201", "?limit=-1", "?limit=x", "?cursor=djE6MQ", "?cursor=%00", "?cursor=bm9wZQ"]);
        var request = new FuzzRequest(Method, Route + limit);
        request.Expect = r =>
        {
            if (Names(r, "limit", "cursor")) return null;
            if (r.Status != 200 || r.Json?["items"] is not JsonArray items) return $"{r.Status}; expected 200 with items, or a 400 naming limit or cursor";
            return items.All(i => (int?)i?["id"] is { } id && tenant.MassMessages.Contains(id)) ? null : "the list holds a mass message this company never sent";
        };
        if (limit.Contains("%00", StringComparison.Ordinal)) request.ProtocolLevel = true;
        Disturb(request, random, query: false);
        return request;
    }
}

/// <summary><c>GET</c> and <c>DELETE mass-messages/{id:int}</c>: this company's (200/204), another's or none (404), ids that are no int.</summary>
public sealed class MassMessageByIdFuzzer(string method) : EndpointFuzzer(method, "/partner/v2/mass-messages/{id:int}")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        int? known = null;
        string segment;
        if (random.Chance(0.6) && tenant.MassMessages.Count > 0)
        {
            known = random.Pick(tenant.MassMessages.ToList());
            segment = known.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else segment = random.Pick<string>(["0", "-1", "2147483647", "2147483648", "1.0", "0x1", "999999"]);
        if (!int.TryParse(segment, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
            request.MayMissRoute = true;
        request.Target = Route.Replace("{id:int}", segment);
        var ok = Method == "DELETE" ? 204 : 200;
        request.Expect = r => known is { } id
            ? r.Status == ok ? null : $"{r.Status} for this company's mass message {id}; expected {ok}"
            : r.Status is 404 or 400 ? null : $"{r.Status} for a mass message id that is not this company's; expected 404";
        Disturb(request, random);
        return request;
    }
}
