using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

// The create-or-update endpoints keyed by externalId (SPEC §2, §3, §4 extension): 201 for a new key, 200 after.

public sealed class ContactPutFuzzer() : BodyFuzzer("PUT", "/partner/v2/contacts", "externalId",
[
    """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com", "phone": "+15551234567" }""",
    """{ "externalId": "c-phone", "firstName": "Ann", "lastName": "Lee", "phone": "(555) 123-4567" }""",
    """{ "externalId": "c-email", "firstName": "Bo", "lastName": "Chen", "email": "bo.chen@example.com" }""",
    """{ "externalId": "c-both", "firstName": "Cy", "lastName": "Díaz", "email": "cy@example.com", "phone": "+1 555 123 4568", "notificationPreference": "both" }""",
])
{
    protected override IReadOnlyCollection<string> Related(string field) =>
        field is "email" or "phone" or "notificationPreference" ? ["email", "phone", "notificationPreference"] : [field];

    protected override IReadOnlyDictionary<string, string[]> FieldValues { get; } = new Dictionary<string, string[]>
    {
        ["phone"] = Phones,
        ["email"] = Emails,
        ["notificationPreference"] = Strings("SMS", " email ", "both\t", "sms,email", "push", "0", "Sms"),
    };

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random)
    {
        body["externalId"] = ChooseKey(random, tenant.Contacts.Keys, "c");
        if (body["phone"] is not null && random.Chance(0.5)) body["phone"] = FuzzTenant.Phone(random.Next(1000, 9999));
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong) =>
        ObserveUpsert(tenant.Contacts, "externalId", request, response, wrong);
}

public sealed class TeamMemberPutFuzzer() : BodyFuzzer("PUT", "/partner/v2/team-members", "externalId",
[
    """{ "externalId": "32435", "firstName": "Sam", "lastName": "Park", "email": "sam.park@example.com", "phone": "+15551230000", "title": "Paralegal" }""",
    """{ "externalId": "u-2", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com" }""",
])
{
    protected override IReadOnlyDictionary<string, string[]> FieldValues { get; } = new Dictionary<string, string[]>
    {
        ["phone"] = Phones,
        ["email"] = Emails,
    };

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random) =>
        body["externalId"] = ChooseKey(random, tenant.TeamMembers.Keys, "tm");

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong) =>
        ObserveUpsert(tenant.TeamMembers, "externalId", request, response, wrong);
}

public sealed class ProjectPutFuzzer() : BodyFuzzer("PUT", "/partner/v2/projects", "externalId",
[
    """{ "externalId": "matter-1", "name": "Doe v. Acme", "partnerPhaseName": "Intake", "clients": [{"externalId": "123-3123-123"}], "partnerProjectTypeName": "Personal Injury", "milestonesEnabled": true, "status": "In Progress" }""",
    """{ "externalId": "123-3123-123", "name": "New Project", "partnerPhaseName": "Discovery", "clients": [{"externalId": "123-1231"}], "partnerProjectTypeName": "Web Dev", "milestonesEnabled": true, "status": "Not Started" }""",
    """{ "externalId": "p-co", "name": "Lee and Doe v. Bolt", "partnerPhaseName": "treatment", "clients": ["123-1231", {"externalId": "123-3123-123"}], "partnerProjectTypeName": "personal injury", "milestonesEnabled": false, "status": "completed" }""",
])
{
    static readonly string[] Phases = ["Intake", "Discovery", "Treatment", "Negotiation", "Settled", "  intake ", "Trial Prep", "ünïcødé phase"];

    protected override IReadOnlyDictionary<string, string[]> FieldValues { get; } = new Dictionary<string, string[]>
    {
        ["status"] = Strings("not started", "NOT_STARTED", "In-Progress", "Completed\t", " Complete ", "done", "In  Progress", "NotStarted", "1"),
        ["partnerPhaseName"] = Strings("intake", "INTAKE ", "Intake\u00A0", "\u0130ntake", "İNTAKE", new string('p', 255), new string('p', 256)),
        ["partnerProjectTypeName"] = Strings("personal injury", "Personal  Injury", "PERSONAL INJURY ", "Web Dev", new string('t', 256)),
        ["clients"] = ["[1, 1, 1]", "[\"123-1231\", \"123-1231\"]", "[{\"id\": 1, \"externalId\": \"x\"}]", "[{\"externalId\": \"123-1231\", \"id\": 999999}]",
            "[{\"ID\": 1}]", "[2147483647]", "[-1]", "[1.0]", "[\"1\"]", "[" + string.Join(",", Enumerable.Repeat("\"123-1231\"", 1000)) + "]"],
    };

    protected override void Vary(JsonObject body, FuzzTenant tenant, Random random)
    {
        body["externalId"] = ChooseKey(random, tenant.Projects.Keys, "p");
        if (random.Chance(0.5)) body["partnerPhaseName"] = random.Pick(Phases);
        if (random.Chance(0.3)) body["milestonesEnabled"] = random.Chance(0.5);
        if (!random.Chance(0.6)) return;
        var clients = new JsonArray();
        var contacts = tenant.Contacts.ToList();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var (externalId, id) = random.Pick(contacts);
            clients.Add(random.Next(4) switch
            {
                0 => JsonValue.Create(id),
                1 => JsonValue.Create(externalId),
                2 => new JsonObject { ["id"] = id },
                _ => new JsonObject { ["externalId"] = externalId },
            });
        }
        body["clients"] = clients;
    }

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        if (!random.Chance(0.05) || tenant.ForeignContactIds.Count == 0) return base.Next(tenant, random);

        // A valid project whose client is another company's contact, by its Casewire id: it never resolves here (SPEC §1, §3).
        var foreign = random.Pick(tenant.ForeignContactIds);
        var body = JsonNode.Parse(Examples[0])!.AsObject();
        Vary(body, tenant, random);
        body["clients"] = new JsonArray(foreign);
        var request = new FuzzRequest(Method, Route) { Body = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()) };
        request.Headers.Add(new("Content-Type", "application/json"));
        request.Notes.Add($"clients = [{foreign}], a contact of another company");
        request.Expect = r => r.Status == 422 && r.Json?["errors"]?["clients"] is not null
            ? null
            : $"{r.Status} for a project whose client is another company's contact {foreign}; expected 422 naming clients";
        return request;
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong) =>
        ObserveUpsert(tenant.Projects, "externalId", request, response, wrong);
}
