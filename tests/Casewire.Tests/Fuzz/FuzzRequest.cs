using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>How a request authenticates: as the fuzz tenant, or with the headers it carries itself.</summary>
public enum FuzzAuth
{
    /// <summary><c>Authorization: Bearer {the tenant's token}</c>.</summary>
    Tenant,
    /// <summary>The request's own Authorization header(s), or none: it must be a 401.</summary>
    Refused,
    /// <summary>An unusual spelling of the tenant's token that is still valid (case, spaces): it must not be a 401.</summary>
    Accepted,
}

/// <summary>
/// One generated request, exactly as it goes on the wire, with what was done to the valid example it
/// came from (so a failure says why the request looks the way it does) and what the endpoint's
/// fuzzer expects of the answer beyond the rules every answer follows.
/// </summary>
public sealed class FuzzRequest(string method, string target)
{
    public string Method { get; } = method;
    /// <summary>Path and query, already escaped: sent as is.</summary>
    public string Target { get; set; } = target;
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public byte[]? Body { get; set; }
    public FuzzAuth Auth { get; set; } = FuzzAuth.Tenant;
    /// <summary>What the generator did, in order (e.g. "example 2", "$.phone = 1e308", "Content-Type: text/plain").</summary>
    public List<string> Notes { get; } = [];

    /// <summary>
    /// Set when the body differs from a valid example by one valid-JSON change inside this top-level
    /// field: a 400 must then name the field (or one of <see cref="Related"/>) in <c>errors</c>.
    /// </summary>
    public string? StrictField { get; set; }
    public IReadOnlyCollection<string> Related { get; set; } = [];

    /// <summary>The top-level fields of the valid request before any change: fields the endpoint reads.</summary>
    public IReadOnlyCollection<string> Known { get; set; } = [];

    /// <summary>With <see cref="StrictField"/>: that one change makes the field unreadable (bytes that are not UTF-8), so it must be a 400.</summary>
    public string? RefusedField { get; set; }

    /// <summary>The body is no longer one well-formed JSON object of at most 1 MiB (truncated, a broken token, bad UTF-8…): a 400.</summary>
    public bool Malformed { get; set; }

    /// <summary>
    /// The path may name no endpoint (a dot segment, a non-number where the route wants an int): the
    /// answer is routing's (404, 405, another resource), given before any credential is looked at.
    /// </summary>
    public bool MayMissRoute { get; set; }

    /// <summary>The request line or headers break HTTP itself; Kestrel may refuse it with a bare 400 before any middleware runs.</summary>
    public bool ProtocolLevel { get; set; }

    /// <summary>The key (externalId, event id) the generator gave the record, while no change touched it: a 2xx must store exactly this, trimmed.</summary>
    public string? SentKey { get; set; }

    /// <summary>An endpoint-specific expectation; returns what is wrong, or null.</summary>
    public Func<FuzzResponse, string?>? Expect { get; set; }

    public bool HasHeader(string name) => Headers.Any(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public HttpRequestMessage ToMessage(string token)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Target);
        if (Auth == FuzzAuth.Tenant) message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var contentHeaders = Headers.Where(h => IsContentHeader(h.Key)).ToList();
        if (Body is not null || contentHeaders.Count > 0)
        {
            message.Content = new ByteArrayContent(Body ?? []);
            message.Content.Headers.ContentType = null;
            foreach (var (name, value) in contentHeaders) message.Content.Headers.TryAddWithoutValidation(name, value);
        }
        foreach (var (name, value) in Headers.Where(h => !IsContentHeader(h.Key)))
            message.Headers.TryAddWithoutValidation(name, value.Replace("{token}", token, StringComparison.Ordinal));
        return message;
    }

    static bool IsContentHeader(string name) => name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request as an HTTP message a person can read and replay; non-printable and invalid bytes are escaped.</summary>
    public string Describe(int maxBodyChars = 3000)
    {
        var text = new StringBuilder().Append(Method).Append(' ').AppendLine(Target);
        if (Auth == FuzzAuth.Tenant) text.AppendLine("Authorization: Bearer {token}");
        foreach (var (name, value) in Headers) text.Append(name).Append(": ").AppendLine(Escape(value));
        if (Body is not null)
        {
            var body = Escape(Body);
            text.AppendLine().Append(body.Length <= maxBodyChars
                ? body
                : $"{body[..(maxBodyChars / 2)]}…[{body.Length - maxBodyChars} characters left out; the whole body is in the saved file]…{body[^(maxBodyChars / 2)..]}");
            text.AppendLine().Append("(").Append(Body.Length).AppendLine(" bytes)");
        }
        text.Append("generated by: ").AppendLine(string.Join("; ", Notes));
        return text.ToString();
    }

    /// <summary>Writes the exact body and a replayable description next to each other; returns the description's path.</summary>
    public string Save(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "casewire-fuzz");
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')));
        if (Body is not null) File.WriteAllBytes(stem + ".body", Body);
        var curl = new StringBuilder($"curl -sS -i -X {Method} \"$CASEWIRE_URL{Target}\"");
        if (Auth == FuzzAuth.Tenant) curl.Append(" -H \"Authorization: Bearer $TOKEN\"");
        foreach (var (header, value) in Headers) curl.Append(" -H '").Append(header).Append(": ").Append(value.Replace("'", "'\\''")).Append('\'');
        if (Body is not null) curl.Append(" --data-binary @'").Append(stem).Append(".body'");
        File.WriteAllText(stem + ".txt", Describe(int.MaxValue) + Environment.NewLine + curl + Environment.NewLine);
        return stem + ".txt";
    }

    static string Escape(string value) => Escape(Encoding.UTF8.GetBytes(value));

    /// <summary>UTF-8 text as is; control characters as \uXXXX, and bytes that are not UTF-8 as \xNN.</summary>
    static string Escape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                text.Append($"\\x{span[0]:X2}");
                span = span[1..];
                continue;
            }
            if (Rune.IsControl(rune) && rune.Value is not ('\n' or '\r' or '\t')) text.Append($"\\u{rune.Value:X4}");
            else text.Append(rune.ToString());
            span = span[consumed..];
        }
        return text.ToString();
    }
}

/// <summary>What came back: the status, headers and the body read as text (and as JSON when it is JSON).</summary>
public sealed class FuzzResponse(int status, IReadOnlyDictionary<string, string> headers, MediaTypeHeaderValue? contentType, string text)
{
    public int Status { get; } = status;
    public MediaTypeHeaderValue? ContentType { get; } = contentType;
    public string Text { get; } = text;
    public JsonNode? Json { get; } = TryParse(text);

    public static async Task<FuzzResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var text = await response.Content.ReadAsStringAsync(ct);
        return new FuzzResponse((int)response.StatusCode, headers, response.Content.Headers.ContentType, text);
    }

    public string? Header(string name) => headers.GetValueOrDefault(name);

    /// <summary>A string property of the JSON body, or null (also when it is not a string).</summary>
    public string? String(string name) => Json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public int? Int(string name) => Json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    static JsonNode? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public override string ToString() =>
        $"{Status} {ContentType}{Environment.NewLine}{(Text.Length <= 2000 ? Text : Text[..2000] + "…")}";
}
