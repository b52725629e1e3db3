using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// The PUT and POST endpoints: each request starts from one of the published examples (mended where
/// the published text is not JSON), pointed at a new, an existing or an odd-id record of the
/// tenant, then changed by zero to four mutations inside the JSON, sometimes at the byte level,
/// in its headers or credentials.
/// </summary>
public abstract class BodyFuzzer(string method, string route, string keyField, string[] examples) : EndpointFuzzer(method, route)
{
    /// <summary>Valid request bodies, from the published document and the README.</summary>
    protected string[] Examples { get; } = examples;

    /// <summary>The published examples verbatim: unquoted keys, missing commas, mangled addresses (one is well-formed).</summary>
    protected static readonly string[] Published =
    [
        """{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": "[email protected]", "phone": "+15551234567" }""",
        """{ "projectId": "123-3123-123", "text": "New Project", "authorId": "32435", "clients": [{externalId: "123-1231"}], "partnerProjectTypeName": "Web Dev", "milestonesEnabled": true, "status": "Not Started" }""",
        """{ "projectId": "123-3123-123", "text": "New Project", "authorId": "32435", }""",
        """{ "id": "XYZ123" "projectId": "1234", "title": "Jane Smith Desposition", "attendees": ["[email protected]"], "teamMembers": ["[email protected]"], "otherMembers": ["[email protected]"], "startTime": "2024-01-01 08:00:00", "endTime": "2024-01-01 08:30:00", "timezone": "EST", "location": "1234 courtroom road, new york", "description": "this is a description", "reminders": [{unit: "day", amount:"1"}], "notify": true, }""",
    ];

    /// <summary>Raw JSON values worth trying in particular fields, beyond the general ones of <see cref="Garbage"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string[]> FieldValues => NoFieldValues;

    static readonly Dictionary<string, string[]> NoFieldValues = [];

    /// <summary>JSON strings of <paramref name="values"/>.</summary>
    protected static string[] Strings(params string[] values) => values.Select(v => System.Text.Json.JsonSerializer.Serialize(v)).ToArray();

    protected static readonly string[] Phones = Strings(
        "+1 (555) 123-4567", "+15551234567 ", "0015551234567", "+44 20 7946 0018", "+8613800138000", "911", "+1-555-123-45678", "++15551234567",
        "+1 555 123 4567 ext 9", "+1555123456789012345678", "１５５５１２３４５６７", "+0 555", "(555)1234567", "555.123.4567", "+1 800 FLOWERS", "+");

    protected static readonly string[] Emails = Strings(
        "a@b.co", "very.long+tag@example.com", "\"quoted\"@example.com", "a@[127.0.0.1]", "a@localhost", "ünï@example.com", "a@b.c", "a..b@example.com",
        "a@-example.com", "Ann <ann@example.com>", "ann@example.com.", new string('a', 64) + "@" + new string('b', 185) + ".com", new string('a', 64) + "@" + new string('b', 186) + ".com");

    /// <summary>Fields whose errors may answer a change to <paramref name="field"/> (start and end, email and phone…).</summary>
    protected virtual IReadOnlyCollection<string> Related(string field) => [field];

    /// <summary>Points the example at a record and at references of this tenant (a valid request still).</summary>
    protected abstract void Vary(JsonObject body, FuzzTenant tenant, Random random);

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var example = random.Next(Examples.Length);
        request.Notes.Add($"example {example}");
        var body = new JsonBody(Examples[example]);
        Vary(body.Root.AsObject(), tenant, random);
        request.Known = body.Root.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        request.SentKey = body.Root[keyField] is JsonValue key && key.TryGetValue<string>(out var sent) ? sent : null;

        var changes = random.Next(100) switch { < 22 => 0, < 72 => 1, _ => random.Next(2, 5) };
        Mutations.Json(request, body, random, changes, Related, FieldValues);
        if (request.Notes.Any(n => n.StartsWith($"$.{keyField} ", StringComparison.Ordinal))) request.SentKey = null;
        request.Body = body.ToBytes();
        request.Headers.Add(new("Content-Type", "application/json"));
        if (random.Chance(0.12))
        {
            Mutations.Bytes(request, random, Published);
            request.SentKey = null;
        }
        request.Malformed = IsMalformed(request.Body);
        if (request.Malformed) request.StrictField = null; // a 400 for the whole body names no field
        Disturb(request, random);
        return request;
    }

    /// <summary>What the API reads (PartnerApi.Configure): trailing commas and comments, at most 32 levels deep.</summary>
    static readonly System.Text.Json.JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip, MaxDepth = 32,
    };

    /// <summary>Not one JSON object of at most 1 MiB in UTF-8 that the API's reader can read.</summary>
    public static bool IsMalformed(byte[]? body)
    {
        if (body is null || body.Length > 1024 * 1024) return true;
        // Bytes that are not UTF-8 where the API reads nothing (an unknown property's name or value) are skipped
        // unread, like the property; where it reads, they are a 400 (see Mutations: bytes in a field's value).
        var text = System.Text.Encoding.UTF8.GetString(body).TrimStart('\uFEFF'); // a byte order mark may be ignored (RFC 8259 §8.1)
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text, Lenient);
            return document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return true;
        }
    }

    /// <summary>A key for the record: new, existing (an update) or odd.</summary>
    protected static string ChooseKey(Random random, ICollection<string> existing, string prefix) => random.Next(10) switch
    {
        < 4 => $"{prefix}-{random.Next(1_000_000)}",
        < 7 when existing.Count > 0 => random.Pick(existing.ToList()),
        _ => random.Pick(Garbage.OddIds) is var odd && odd.Length < 250 && random.Chance(0.5) ? $"{odd} {random.Next(100)}" : odd,
    };

    /// <summary>201 only for a key never seen, 200 only for a known one, the same id every time, the key stored as sent.</summary>
    protected static void ObserveUpsert(Dictionary<string, int> known, string keyField, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        if (!IsSuccess(response)) return;
        var key = response.String(keyField);
        var id = response.Int("id");
        if (key is null || id is null)
        {
            wrong.Add($"{response.Status} without {keyField} and id");
            return;
        }
        if (response.Status is not (200 or 201)) wrong.Add($"{response.Status}: a create-or-update answers 201 or 200");
        var replayed = response.Header("Idempotent-Replayed") == "true";
        if (known.TryGetValue(key, out var existing))
        {
            if (response.Status == 201 && !replayed) wrong.Add($"201 Created for {keyField} '{key}', which already existed (id {existing})");
            if (id != existing) wrong.Add($"{keyField} '{key}' had id {existing}, now {id}");
        }
        else if (response.Status != 201) wrong.Add($"{response.Status} for {keyField} '{key}', which did not exist: expected 201");
        if (request.SentKey is { } sent && key != sent.Trim()) wrong.Add($"sent {keyField} '{sent}', stored '{key}'");
        known[key] = id.Value;
    }

    /// <summary>
    /// Idempotency-Key (SPEC §1): the same key and body replay the first 2xx verbatim; the same key
    /// with another body or endpoint is never a 2xx; a malformed key is never a 2xx.
    /// </summary>
    protected void ObserveKey(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        var keys = request.Headers.Where(h => h.Key == "Idempotency-Key").Select(h => h.Value).ToList();
        if (keys.Count == 0 || request.ProtocolLevel || request.Auth == FuzzAuth.Refused) return;
        var key = string.Join(", ", keys).Trim(' ', '\t'); // as HttpClient sends a repeated header: one line
        var valid = key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~');
        if (!valid)
        {
            if (IsSuccess(response)) wrong.Add($"{response.Status} for a malformed Idempotency-Key; expected 400");
            return;
        }
        var hash = FuzzTenant.Hash(request.Body);
        if (!tenant.Keys.TryGetValue(key, out var first))
        {
            if (IsSuccess(response)) tenant.Keys[key] = new FuzzTenant.StoredKey(Key, hash, response.Status, response.Text);
            return;
        }
        if (first.Endpoint == Key && first.BodyHash == hash)
        {
            if (response.Status != first.Status || response.Header("Idempotent-Replayed") != "true" || response.Text != first.Body)
                wrong.Add($"Idempotency-Key '{key}' with the same body did not replay the first {first.Status} (got {response.Status}, " +
                          $"Idempotent-Replayed: {response.Header("Idempotent-Replayed") ?? "absent"})");
        }
        else if (IsSuccess(response))
            wrong.Add($"{response.Status} for Idempotency-Key '{key}' reused with another {(first.Endpoint == Key ? "body" : "endpoint")}; expected 422");
    }
}
