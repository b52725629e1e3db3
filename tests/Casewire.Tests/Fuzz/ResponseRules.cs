using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// What every answer of the Partner API must be, whatever was sent (SPEC §1): a 2xx or a 4xx, never
/// a 5xx or a dropped connection; a 4xx is an RFC 9457 problem (<c>application/problem+json</c>
/// with <c>type</c>, <c>title</c> and <c>status</c>), whose <c>errors</c>, when present, name
/// fields with messages. Then what follows from the request: a refused credential is a 401, a
/// malformed body a 400, a single bad field a 400 naming it.
/// </summary>
public static class ResponseRules
{
    const string ValidationTitle = "One or more validation errors occurred.";
    const int OneMebibyte = 1024 * 1024;

    public static List<string> Check(FuzzRequest request, FuzzResponse? response, Exception? failure)
    {
        var wrong = new List<string>();
        if (response is null)
        {
            // Kestrel refuses an oversized or broken request line or header block and closes the connection: a
            // client still sending its body then sees the connection end. That is the server's, not the app's, doing.
            if (!request.ProtocolLevel) wrong.Add($"no answer: {failure?.GetType().Name}: {failure?.Message}");
            return wrong;
        }
        var status = response.Status;
        if (status >= 500) wrong.Add($"{status}: a server error");
        else if (status is < 200 or (>= 300 and < 400)) wrong.Add($"{status}: neither 2xx nor 4xx");

        if (status is >= 400 and < 500 && !(request.ProtocolLevel && response.Text.Length == 0)) Problem(response, wrong);
        // A file download (a document's content, SPEC §14) is the file itself, sent as an attachment.
        var download = response.Header("Content-Disposition") is { } disposition && disposition.StartsWith("attachment", StringComparison.OrdinalIgnoreCase);
        if (status is >= 200 and < 300 && status != 204 && response.Json is null && !download) wrong.Add($"{status} whose body is not JSON");
        if (status == 401 && response.Header("WWW-Authenticate")?.StartsWith("Bearer", StringComparison.Ordinal) != true)
            wrong.Add("401 without WWW-Authenticate: Bearer");
        if (request.ProtocolLevel || status >= 500) return wrong;

        switch (request.Auth)
        {
            // Routing answers a path that names no endpoint, and the size guard a body over 1 MiB, before credentials are read.
            case FuzzAuth.Refused when status != 401 && !(request.MayMissRoute && status is 404 or 405) && !(status == 400 && request.Body?.Length > OneMebibyte):
                wrong.Add($"{status} for a refused credential; expected 401");
                return wrong;
            case FuzzAuth.Refused:
                return wrong;
            case FuzzAuth.Accepted when status == 401:
                wrong.Add("401 for a valid token written with another case or extra spaces");
                break;
        }

        if (request.Malformed && status != 400)
            wrong.Add($"{status} for a body that is not well-formed JSON (or is over 1 MiB); expected 400");

        if (request.StrictField is { } refused && refused == request.RefusedField && request.Known.Contains(refused) && status is >= 200 and < 300)
            wrong.Add($"{status} for a body whose {refused} holds bytes that are not UTF-8; expected 400");
        if (request.StrictField is { } field && status == 400)
        {
            var errors = response.Json?["errors"] as JsonObject;
            if (errors is null || !errors.Any(e => request.Related.Contains(e.Key)))
                wrong.Add($"400 for a request whose only change is in {field}, but errors do not name {string.Join(" or ", request.Related)}");
        }

        if (!request.MayMissRoute && request.Expect?.Invoke(response) is { } unexpected) wrong.Add(unexpected);
        return wrong;
    }

    static void Problem(FuzzResponse response, List<string> wrong)
    {
        if (response.ContentType?.MediaType != "application/problem+json")
            wrong.Add($"{response.Status} with Content-Type '{response.ContentType}', not application/problem+json");
        if (response.Json is not JsonObject problem)
        {
            wrong.Add($"{response.Status} whose body is not a JSON object");
            return;
        }
        if (problem["status"] is not JsonValue statusValue || !statusValue.TryGetValue<int>(out var status) || status != response.Status)
            wrong.Add($"{response.Status} whose problem has status {problem["status"]?.ToJsonString() ?? "(none)"}");
        if (problem["title"] is not JsonValue title || string.IsNullOrWhiteSpace(title.GetValue<string>()))
            wrong.Add($"{response.Status} whose problem has no title");
        if (problem["type"] is not JsonValue type || string.IsNullOrWhiteSpace(type.GetValue<string>()))
            wrong.Add($"{response.Status} whose problem has no type");

        var errors = problem["errors"];
        if ((string?)problem["title"] == ValidationTitle && errors is null) wrong.Add("a validation problem without errors");
        if (errors is null) return;
        if (errors is not JsonObject fields || fields.Count == 0)
        {
            wrong.Add("errors is not an object naming at least one field");
            return;
        }
        foreach (var (name, messages) in fields)
        {
            if (string.IsNullOrWhiteSpace(name)) wrong.Add("errors has a blank field name");
            if (messages is not JsonArray list || list.Count == 0 ||
                list.Any(m => m is not JsonValue v || !v.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text)))
                wrong.Add($"errors.{name} is not a list of messages");
        }
    }
}
