using System.Text;
using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// What the fuzzer does to a valid request: changes inside the JSON (dropped fields, wrong types,
/// huge and odd values, duplicate keys, unknown properties, tokens that are not JSON), changes to
/// the bytes (truncation, bad UTF-8, another body altogether), to the headers (Content-Type,
/// Accept, Idempotency-Key, odd and oversized headers), to the credentials and to the query.
/// </summary>
public static class Mutations
{
    /// <summary>Applies <paramref name="count"/> changes inside the JSON of <paramref name="body"/>.</summary>
    /// <param name="fieldValues">Raw JSON values worth trying in a given top-level field (dates for a time, zones for a timezone…).</param>
    public static void Json(FuzzRequest request, JsonBody body, Random random, int count, Func<string, IReadOnlyCollection<string>> related,
        IReadOnlyDictionary<string, string[]> fieldValues)
    {
        var strict = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            var (note, field, isStrict) = JsonChange(request, body, random, fieldValues);
            request.Notes.Add(note);
            strict.Add(isStrict ? field : null);
        }
        if (strict is [{ } only])
        {
            request.StrictField = only;
            request.Related = related(only);
        }
        else request.RefusedField = null;
    }

    static (string Note, string? Field, bool Strict) JsonChange(FuzzRequest request, JsonBody body, Random random, IReadOnlyDictionary<string, string[]> fieldValues)
    {
        var locations = body.Locations();
        if (locations.Count == 0 || random.Chance(0.08)) return AddUnknown(body, body.Root as JsonObject, random);
        var topLevel = locations.Where(l => l.Depth == 1).ToList();
        var at = random.Chance(0.6) && topLevel.Count > 0 ? random.Pick(topLevel) : random.Pick(locations);
        if (at.Depth == 1 && fieldValues.TryGetValue(at.Name!, out var values) && random.Chance(0.5))
        {
            var value = random.Pick(values);
            at.Set(body.Raw(value));
            return ($"{at.Path} = {Short(value)}", at.Field, true);
        }
        switch (random.Next(100))
        {
            case < 14:
                at.Remove();
                return ($"{at.Path} dropped", at.Field, true);
            case < 38:
                var value = random.Pick(Garbage.Values);
                at.Set(body.Raw(value));
                return ($"{at.Path} = {Short(value)}", at.Field, true);
            case < 60:
                var text = random.Pick(Garbage.Strings);
                at.Set(JsonValue.Create(text));
                return ($"{at.Path} = \"{Short(text)}\"", at.Field, true);
            case < 68:
                var token = random.Pick(Garbage.NotJson);
                at.Set(body.Raw(token));
                return ($"{at.Path} = {Short(token)} (not JSON)", at.Field, false);
            case < 80:
                return ChangeType(at, body, random);
            case < 88 when at.Name is not null:
                var duplicate = random.Chance(0.5) ? at.Value?.DeepClone() : JsonValue.Create(random.Pick(Garbage.Strings));
                at.Parent.AsObject()[body.Duplicate(at.Name)] = duplicate;
                return ($"{at.Path} twice", at.Field, true);
            case < 93 when at.Name is not null:
                var renamed = Rename(at.Name, random);
                var moved = at.Value?.DeepClone();
                at.Remove();
                if (!at.Parent.AsObject().ContainsKey(renamed)) at.Parent.AsObject()[renamed] = moved;
                return ($"{at.Path} renamed {renamed}", at.Field, false);
            case < 96:
                at.Set(body.StringWithBytes(random.Pick(Garbage.BadUtf8)));
                request.RefusedField = at.Field;
                return ($"{at.Path} holds bytes that are not UTF-8", at.Field, true);
            default:
                return AddUnknown(body, at.Value as JsonObject ?? body.Root as JsonObject, random);
        }
    }

    static (string, string?, bool) ChangeType(JsonBody.Location at, JsonBody body, Random random)
    {
        var current = at.Value?.DeepClone();
        var (node, what) = random.Next(6) switch
        {
            0 => ((JsonNode?)new JsonArray(current), "wrapped in an array"),
            1 => (new JsonObject { ["value"] = current }, "wrapped in an object"),
            2 => (JsonValue.Create(current?.ToJsonString() ?? "null"), "as a string"),
            3 => (body.Raw(random.Pick<string>(["42", "-7", "1e308", "0"])), "as a number"),
            4 => (JsonValue.Create(random.Chance(0.5)), "as a boolean"),
            _ => (null, "null"),
        };
        at.Set(node);
        return ($"{at.Path} {what}", at.Field, true);
    }

    static (string, string?, bool) AddUnknown(JsonBody body, JsonObject? into, Random random)
    {
        into ??= body.Root.AsObject();
        var name = random.Pick<string>(["favouriteColour", "x", "nested", "$type", "__proto__", "constructor", "ëxtra", ""]) + random.Next(100);
        into[name] = random.Chance(0.5) ? body.Raw(random.Pick(Garbage.Values)) : JsonValue.Create(random.Pick(Garbage.Strings));
        var field = ReferenceEquals(into, body.Root) ? name : body.Locations().FirstOrDefault(l => ReferenceEquals(l.Value, into))?.Field;
        return ($"unknown property {name} added", field, field is not null);
    }

    static string Rename(string name, Random random) => random.Next(5) switch
    {
        0 => name.ToUpperInvariant(),
        1 => char.ToUpperInvariant(name[0]) + name[1..],
        2 => string.Concat(name.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString())),
        3 => name + " ",
        _ => name.Replace('l', 'I').Replace('e', 'е'), // a Cyrillic е: looks the same, is another name
    };

    /// <summary>Changes to the body as bytes, or another body altogether.</summary>
    public static void Bytes(FuzzRequest request, Random random, IReadOnlyList<string> publishedTexts)
    {
        var body = request.Body ?? [];
        request.StrictField = null;
        switch (random.Next(13))
        {
            case 0 when body.Length > 1:
                var cut = random.Next(1, body.Length);
                request.Body = body[..cut];
                request.Notes.Add($"truncated to {cut} of {body.Length} bytes");
                break;
            case 1 when body.Length > 1:
                var at = random.Next(1, body.Length);
                var bad = random.Pick(Garbage.BadUtf8);
                request.Body = [.. body.AsSpan(0, at), .. bad, .. body.AsSpan(at)];
                request.Notes.Add($"bytes {Convert.ToHexString(bad)} inserted at {at}");
                break;
            case 2:
                request.Body = [0xEF, 0xBB, 0xBF, .. body];
                request.Notes.Add("UTF-8 byte order mark first");
                break;
            case 3:
                var padding = new string(random.Pick<char>([' ', '\n', '\t', '\r']), random.Next(1, 50_000));
                request.Body = [.. Encoding.UTF8.GetBytes(padding), .. body, .. Encoding.UTF8.GetBytes(padding)];
                request.Notes.Add($"{padding.Length} whitespace characters around");
                break;
            case 4 when body.Length > 2 && body[0] == '{' && body[^1] == '}' && body[1] != '}':
                request.Body = [(byte)'{', .. "/* a comment */ "u8, .. body.AsSpan(1, body.Length - 2), .. ", // trailing comma and comment\n}"u8];
                request.Notes.Add("comments and a trailing comma");
                break;
            case 5:
                request.Body = [];
                request.Notes.Add("empty body");
                break;
            case 6:
                request.Body = null;
                request.Notes.Add("no body at all");
                break;
            case 7:
                var other = random.Pick<string>(["null", "[]", "\"a string\"", "42", "true", "{}", "   ", "{}{}", "{} x", "[{}]", "\u0000", "{\"a\":1}garbage"]);
                request.Body = Encoding.UTF8.GetBytes(other);
                request.Notes.Add($"body replaced by {Short(other)}");
                break;
            case 8:
                request.Body = Encoding.UTF8.GetBytes(random.Pick(publishedTexts));
                request.Notes.Add("a published example, verbatim");
                break;
            case 9:
                var size = random.Pick<int>([1024 * 1024 + 1, 2 * 1024 * 1024]);
                request.Body = [.. "{\"padding\":\""u8, .. Enumerable.Repeat((byte)'x', size), .. "\"}"u8];
                request.Notes.Add($"a body of {request.Body.Length} bytes");
                break;
            case 10:
                request.Body = Encoding.UTF8.GetBytes(Garbage.Nested('[', ']', random.Pick<int>([33, 1000, 100_000])));
                request.Notes.Add("deeply nested arrays as the body");
                break;
            case 11:
                var noise = new byte[random.Next(1, 2000)];
                random.NextBytes(noise);
                request.Body = noise;
                request.Notes.Add($"{noise.Length} random bytes");
                break;
            default:
                request.Body = [.. body, .. Encoding.UTF8.GetBytes(random.Pick<string>([",", "}", "]", "x", "\u0000", "{}"]))];
                request.Notes.Add("something after the document");
                break;
        }
    }

    /// <summary>One change to the headers.</summary>
    public static void Headers(FuzzRequest request, Random random)
    {
        request.StrictField = null;
        switch (random.Next(9))
        {
            case 0:
                SetContentType(request, null);
                request.Notes.Add("no Content-Type");
                break;
            case 1:
            case 2:
                var type = random.Pick(Garbage.ContentTypes);
                SetContentType(request, type);
                request.Notes.Add($"Content-Type: {type}");
                break;
            case 3:
                var accept = random.Pick(Garbage.Accepts);
                request.Headers.Add(new("Accept", accept));
                request.Notes.Add($"Accept: {accept}");
                break;
            case 4:
            case 5:
                var key = random.Pick(Garbage.IdempotencyKeys);
                request.Headers.Add(new("Idempotency-Key", key));
                if (random.Chance(0.1)) request.Headers.Add(new("Idempotency-Key", key));
                if (key.Any(c => c is not '\t' and (< ' ' or > '~'))) request.ProtocolLevel = true; // Kestrel may refuse the header itself
                request.Notes.Add($"Idempotency-Key: {Short(key)}");
                break;
            case 6:
                var (name, value) = random.Pick<(string, string)>(
                [
                    ("X-HTTP-Method-Override", "DELETE"), ("Content-Encoding", "gzip"), ("Expect", "100-continue"), ("Connection", "close"),
                    ("Range", "bytes=0-1"), ("If-None-Match", "*"), ("Cookie", "a=b; c"), ("X-Forwarded-For", "garbage, ::1, 999.1.1.1"),
                    ("Origin", "null"), ("Content-Language", "xx"), ("Via", new string('v', 4000)), ("Accept-Charset", "utf-16"),
                ]);
                request.Headers.Add(new(name, value));
                request.Notes.Add($"{name}: {Short(value)}");
                break;
            case 7:
                // Kestrel refuses these before the app: headers over 32 KB in all, bytes that are not ASCII.
                var (bigName, bigValue) = random.Pick<(string, string)>([("X-Big", new string('h', 40_000)), ("X-Name", "ünï\u202Ecødé"), ("X-Ctl", "a\u0001b")]);
                request.Headers.Add(new(bigName, bigValue));
                request.ProtocolLevel = true;
                request.Notes.Add($"{bigName}: {Short(bigValue)}");
                break;
            default:
                request.Headers.Add(new("Idempotency-Key", Garbage.RandomText(random, 12)));
                request.Notes.Add("a fresh Idempotency-Key");
                break;
        }
    }

    public static void SetContentType(FuzzRequest request, string? value)
    {
        request.Headers.RemoveAll(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        if (value is not null) request.Headers.Add(new("Content-Type", value));
    }

    /// <summary>Another Authorization: one that must be refused (401), or an odd spelling of the valid token.</summary>
    public static void Authorization(FuzzRequest request, Random random)
    {
        request.StrictField = null;
        if (random.Chance(0.75))
        {
            request.Auth = FuzzAuth.Refused;
            var header = Garbage.RefusedAuthorization(random);
            if (header is not null) request.Headers.Add(new("Authorization", header));
            request.Notes.Add(header is null ? "no Authorization" : $"Authorization: {Short(header)}");
            if (header is not null && header.Any(c => c > '~')) request.ProtocolLevel = true;
        }
        else
        {
            request.Auth = FuzzAuth.Accepted;
            var header = Garbage.AcceptedAuthorization(random);
            request.Headers.Add(new("Authorization", header));
            request.Notes.Add($"Authorization: {header}");
        }
    }

    public static void Query(FuzzRequest request, Random random)
    {
        var query = random.Pick(Garbage.Queries);
        request.Target += request.Target.Contains('?') ? "&" + query.TrimStart('?') : query;
        request.Notes.Add($"query {Short(query)}");
    }

    public static string Short(string text) => text.Length <= 60 ? text : $"{text[..40]}…({text.Length} chars)";
}
