using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.Partner.Json;

/// <summary>
/// Turns a request the framework could not read (malformed JSON, a wrong JSON type, an empty or
/// over-large body) into a 400 problem that says where and what, instead of a bare status or a 500.
/// Everything else that escapes a handler is a bug: a 500 problem, logged with its trace id.
/// </summary>
sealed class RequestProblems(IProblemDetailsService problems, ILogger<RequestProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            // A portal link's path is a credential (SPEC §11): logged redacted.
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, Hosting.CredentialPaths.Redact(context.Request.Path));
            return await WriteAsync(context, exception, new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Detail = "Casewire failed to handle this request; nothing was changed. The error is logged with this trace id.",
            });
        }

        var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "The request body could not be read" };
        switch (bad.InnerException)
        {
            case JsonException json when json.InnerException is not JsonException && json.Message.StartsWith("Duplicate property", StringComparison.Ordinal) && FieldOf(json.Path) is { } duplicated:
                problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [duplicated] = [$"{duplicated} appears more than once; send each property once."],
                })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "One or more validation errors occurred.",
                    Detail = $"The property {duplicated} appears more than once (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).",
                };
                break;
            case JsonException json when json.InnerException is not JsonException && FieldOf(json.Path) is { } field:
                problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [field] = [$"{field} has the wrong JSON type or value: expected {ExpectedOf(json)}."],
                })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "One or more validation errors occurred.",
                    Detail = $"The JSON value at {json.Path} (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}) has the wrong type.",
                };
                break;
            case JsonException json:
                problem.Detail = $"The body is not valid JSON at line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}: " +
                                 $"{FirstSentence(json.InnerException?.Message ?? json.Message)} " +
                                 "Property names and strings need double quotes; trailing commas and comments are accepted.";
                break;
            default:
                problem.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The body is larger than the {Model.Limits.RequestBodyBytes / 1024 / 1024} MiB accepted."
                    : bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
                        ? "A JSON object body is required."
                        : bad.Message;
                break;
        }
        return await WriteAsync(context, exception, problem);
    }

    async ValueTask<bool> WriteAsync(HttpContext context, Exception exception, ProblemDetails problem)
    {
        if (context.Response.HasStarted) return false;
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary><c>$.clients[0].id</c> → <c>clients</c>; the root (<c>$</c>) names no field.</summary>
    static string? FieldOf(string? path)
    {
        if (path is null || path.Length < 3 || !path.StartsWith("$.", StringComparison.Ordinal)) return null;
        var rest = path[2..];
        var end = rest.IndexOfAny(['.', '[']);
        var field = end < 0 ? rest : rest[..end];
        return field.Length > 0 ? field : null;
    }

    static string ExpectedOf(JsonException json)
    {
        var message = json.InnerException?.Message + " " + json.Message;
        if (json.Message == TextConverter.NulMessage) return "text without the character U+0000 (NUL)";
        if (json.Message == CheckedJsonElementConverter.NotUtf8Message) return "text encoded as UTF-8";
        if (message.Contains("System.String", StringComparison.Ordinal) || message.Contains("as a string", StringComparison.Ordinal)) return "a string";
        if (message.Contains("System.Boolean", StringComparison.Ordinal) || message.Contains("as a boolean", StringComparison.Ordinal)) return "true or false";
        if (message.Contains("System.Int", StringComparison.Ordinal)) return "an integer";
        if (message.Contains("System.Collections", StringComparison.Ordinal) || message.Contains("[]", StringComparison.Ordinal)) return "an array";
        return "a value of the documented type";
    }

    static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
