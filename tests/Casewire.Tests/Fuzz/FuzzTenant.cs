using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// A company the fuzzer works in, seeded through the API with the published examples' records and
/// records whose ids have odd characters, and what the fuzzer knows it holds: every key that got a
/// 2xx, so the database can be checked against it afterwards.
/// </summary>
public sealed class FuzzTenant
{
    public required CasewireApp.Tenant Api { get; init; }
    public required HttpClient Http { get; init; }
    public string Token => Api.Token;

    /// <summary>externalId → Casewire id, for every contact / project / team member that got a 2xx.</summary>
    public Dictionary<string, int> Contacts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Projects { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> TeamMembers { get; } = new(StringComparer.Ordinal);
    /// <summary>Event id → the externalId of its project.</summary>
    public Dictionary<string, string> Events { get; } = new(StringComparer.Ordinal);
    /// <summary>Ids of the messages send-message accepted (202).</summary>
    public HashSet<int> Messages { get; } = [];
    /// <summary>Ids of the mass messages POST mass-messages accepted (202).</summary>
    public HashSet<int> MassMessages { get; } = [];
    /// <summary>Documents by project external id, so a download can hit one (SPEC §14).</summary>
    public Dictionary<string, List<int>> Documents { get; } = new(StringComparer.Ordinal);
    /// <summary>Idempotency-Key → the first 2xx it was given, with the request it answered.</summary>
    public Dictionary<string, StoredKey> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Another company's records: their ids must never resolve here.</summary>
    public List<int> ForeignContactIds { get; } = [];
    public List<int> ForeignMessageIds { get; } = [];
    public List<string> ForeignExternalIds { get; } = [];

    public sealed record StoredKey(string Endpoint, string BodyHash, int Status, string Body);

    public static string Hash(byte[]? body) => Convert.ToHexStringLower(SHA256.HashData(body ?? []));

    /// <summary>A phone number per index: distinct contacts, all valid (the fictional 555 exchange).</summary>
    public static string Phone(int i) => $"+1555{2000000 + i:D7}";

    public static string Path(string route, params string[] ids)
    {
        var i = 0;
        return System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", _ => Uri.EscapeDataString(ids[i++]));
    }

    /// <summary>Seeds the records every endpoint's fuzzer refers to, and a contact and project per extra id; each request must succeed.</summary>
    public async Task SeedAsync(params string[] extraIds)
    {
        await ContactAsync("""{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com", "phone": "+15551234567" }""");
        await ContactAsync("""{ "externalId": "123-1231", "firstName": "Jane", "lastName": "Doe", "email": "jane.doe@example.com" }""");
        for (var i = 0; i < Garbage.OddIds.Length; i++)
            await ContactAsync(new JsonObject { ["externalId"] = Garbage.OddIds[i], ["firstName"] = "Odd", ["lastName"] = $"Id {i}", ["phone"] = Phone(i) }.ToJsonString());

        foreach (var (id, i) in extraIds.Select((id, i) => (id, i)))
        {
            await ContactAsync(new JsonObject { ["externalId"] = id, ["firstName"] = "Other", ["lastName"] = "Firm", ["phone"] = Phone(900 + i) }.ToJsonString());
            await ProjectAsync(id, [id]);
        }
        for (var i = 0; i < 6; i++)
            await SendAsync("PUT", "/partner/v2/team-members", new JsonObject
            {
                ["externalId"] = Garbage.OddIds[i * 4], ["firstName"] = "Odd", ["lastName"] = $"Member {i}", ["email"] = $"member{i}@example.com",
            }.ToJsonString(), TeamMembers);
        await SendAsync("PUT", "/partner/v2/team-members", """{ "externalId": "32435", "firstName": "Sam", "lastName": "Park", "email": "sam.park@example.com" }""", TeamMembers);
        await SendAsync("PUT", "/partner/v2/team-members", """{ "externalId": "jane.smith", "firstName": "Jane", "lastName": "Smith", "email": "jane.smith@example.com" }""", TeamMembers);

        await ProjectAsync("1234", ["123-3123-123"]);
        await ProjectAsync("matter-1", ["123-3123-123", "123-1231"]);
        await ProjectAsync("123-3123-123", ["123-1231"]);
        foreach (var odd in new[] { "2024/0012", "a%2Fb", "a%b", "x y", "עברית/1", "👩‍⚖️", "a?b", "a#b", "\u202Eevil", "e\u0301\u0301" })
            await ProjectAsync(odd, [odd == "x y" ? "123-1231" : odd]);

        foreach (var (eventId, project) in new[] { ("XYZ123", "matter-1"), ("evt-2", "1234"), ("2024/0012-hearing", "2024/0012"), ("a%2Fb", "a%b"), ("ünï ev", "x y") })
            await EventAsync(eventId, project);

        foreach (var project in new[] { "matter-1", "1234", "2024/0012" })
        {
            var sent = await RequestAsync("POST", "/partner/v2/send-message", new JsonObject { ["projectId"] = project, ["text"] = "Seeded message", ["authorId"] = "32435" }.ToJsonString());
            Messages.Add((int)sent["id"]!);
        }
        foreach (var project in new[] { "matter-1", "1234" })
        {
            var mass = await RequestAsync("POST", "/partner/v2/mass-messages",
                new JsonObject { ["text"] = "Seeded mass message", ["filter"] = new JsonObject { ["projectIds"] = new JsonArray(project) } }.ToJsonString());
            MassMessages.Add((int)mass["id"]!);
        }
        foreach (var project in new[] { "matter-1", "1234" })
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent("%PDF-1.4\n%seeded\n%%EOF\n"u8.ToArray()) { Headers = { ContentType = new("application/pdf") } }, "file", "seeded.pdf" },
                { new StringContent("false"), "notify" },
            };
            using var upload = new HttpRequestMessage(HttpMethod.Post, $"/partner/v2/projects/{project}/documents") { Content = form };
            upload.Headers.Authorization = new("Bearer", Token);
            using var response = await Http.SendAsync(upload);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"seeding a document of {project} failed: {(int)response.StatusCode} {text}");
            Documents[project] = [(int)JsonNode.Parse(text)!["id"]!];
        }
    }

    Task ContactAsync(string body) => SendAsync("PUT", "/partner/v2/contacts", body, Contacts);

    Task ProjectAsync(string externalId, string[] clients) => SendAsync("PUT", "/partner/v2/projects", new JsonObject
    {
        ["externalId"] = externalId, ["name"] = "Case " + externalId, ["partnerPhaseName"] = "Intake",
        ["clients"] = new JsonArray(clients.Select(c => (JsonNode)new JsonObject { ["externalId"] = c }).ToArray()),
        ["partnerProjectTypeName"] = "Personal Injury", ["milestonesEnabled"] = true, ["status"] = "In Progress",
    }.ToJsonString(), Projects);

    async Task EventAsync(string eventId, string project)
    {
        var saved = await RequestAsync("POST", "/partner/v2/calendar-event", new JsonObject
        {
            ["id"] = eventId, ["projectId"] = project, ["title"] = "Hearing " + eventId, ["attendees"] = new JsonArray("123-3123-123"),
            ["teamMembers"] = new JsonArray("32435"), ["startTime"] = "2026-03-10 09:00:00", ["timezone"] = "EST",
            ["reminders"] = JsonNode.Parse("""[{"unit": "day", "amount": 1}, {"unit": "hour", "amount": 2}]"""), ["notify"] = true,
        }.ToJsonString());
        Events[(string)saved["id"]!] = (string)saved["projectId"]!;
    }

    async Task SendAsync(string method, string path, string body, Dictionary<string, int> into)
    {
        var saved = await RequestAsync(method, path, body);
        into[(string)saved["externalId"]!] = (int)saved["id"]!;
    }

    async Task<JsonObject> RequestAsync(string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted,
            $"seeding {method} {path} {body} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
