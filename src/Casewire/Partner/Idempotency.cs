using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Casewire.Partner;

/// <summary>
/// <c>Idempotency-Key</c> on POST endpoints (SPEC §1, Stripe semantics): the first 2xx response to a
/// key is stored; the same key and body within 24 h replays it (with <c>Idempotent-Replayed: true</c>)
/// and runs nothing; the same key with another body or endpoint is a 422. Keys are per company.
/// </summary>
/// <remarks>
/// The record is inserted, the handler runs and the response is stored in one transaction, which the
/// handler's own <c>SaveChanges</c> joins (same scoped <see cref="CasewireDb"/>): the effect and its
/// record commit together, or neither does — a failed request leaves no record, so the caller can
/// fix it and retry with the same key. Concurrent duplicates: on SQLite the transaction is
/// <c>BEGIN IMMEDIATE</c>, so the second waits for the first to commit and then finds its record; on
/// PostgreSQL the second insert of the key waits for the first transaction and then fails on the
/// unique (CompanyId, Key) index, and the loser replays the winner. A handler behind this filter must
/// not begin its own transaction.
/// </remarks>
static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    const int MaxKeyLength = 255;

    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder endpoint)
    {
        // "Same body" is the bytes as sent, hashed. Re-serialising the bound request instead would
        // conflate requests a handler treats differently (an absent Optional<T> and an explicit null
        // write alike) and would change with the request record's shape. Binding has read the body
        // before a filter runs, so it is buffered first: a convention may wrap the endpoint's
        // RequestDelegate, which runs around binding.
        endpoint.Add(builder =>
        {
            var inner = builder.RequestDelegate!;
            builder.RequestDelegate = context =>
            {
                if (context.Request.Headers.ContainsKey(Header)) context.Request.EnableBuffering();
                return inner(context);
            };
        });
        return endpoint
            .AddEndpointFilter(InvokeAsync)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                Document(operation);
                return Task.CompletedTask;
            });
    }

    static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(context);
        if (KeyError(values) is { } error)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = [error] }, detail: error);

        var key = values[0]!;
        var services = http.RequestServices;
        var db = services.GetRequiredService<CasewireDb>();
        var companyId = services.GetRequiredService<Tenant>().CompanyId;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var endpoint = EndpointOf(http.Request);
        var hash = await BodyHashAsync(http.Request, http.RequestAborted);
        var ct = http.RequestAborted;

        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var stored = await db.IdempotencyRecords.AsNoTracking().ForCompany(companyId).FirstOrDefaultAsync(r => r.Key == key, ct);
            if (stored is not null && now - stored.CreatedAt < IdempotencyRecord.Lifetime)
                return stored.Endpoint == endpoint && stored.RequestHash == hash ? Replay(stored, http) : Reused(stored, endpoint);
            if (stored is not null)
                await db.IdempotencyRecords.Where(r => r.Id == stored.Id).ExecuteDeleteAsync(ct); // expired: the key is free again

            var record = new IdempotencyRecord
            {
                CompanyId = companyId, Key = key, Endpoint = endpoint, RequestHash = hash, ResponseBody = "", CreatedAt = now,
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
            {
                // A concurrent request with this key committed first: look again and answer with its record.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                continue;
            }

            var result = await next(context);
            var (status, body, location) = Capture(result, services);
            if (status is < 200 or > 299) return result; // rolled back with the transaction: nothing stored

            // By id, not through the tracker: the handler may have cleared it.
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, status)
                .SetProperty(r => r.ResponseBody, body)
                .SetProperty(r => r.Location, location), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
    }

    /// <summary>Null when the header holds one key of 1–255 printable ASCII characters, else what is wrong.</summary>
    static string? KeyError(Microsoft.Extensions.Primitives.StringValues values)
    {
        const string Rule = "Idempotency-Key must be 1 to 255 printable ASCII characters, e.g. a UUID.";
        if (values.Count != 1) return $"Send one {Header} header; this request has {values.Count}. {Rule}";
        var key = values[0] ?? "";
        if (key.Length is 0 or > MaxKeyLength) return $"{Header} is {key.Length} characters long. {Rule}";
        var bad = key.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        return bad < 0 ? null : $"{Header} has a character that is not printable ASCII at position {bad + 1}. {Rule}";
    }

    /// <summary>Method and path (bounded to the column's 255 characters), so a key is not replayed on another endpoint.</summary>
    static string EndpointOf(HttpRequest request)
    {
        var endpoint = $"{request.Method} {request.PathBase}{request.Path}";
        return endpoint.Length <= 255 ? endpoint : $"{request.Method} sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)))}";
    }

    static async Task<string> BodyHashAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.Body.CanSeek) throw new InvalidOperationException($"The body of an {Header} request was not buffered.");
        request.Body.Position = 0;
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(request.Body, ct));
    }

    /// <summary>The status, JSON body and Location a typed result will write, to store for replay.</summary>
    static (int Status, string Body, string? Location) Capture(object? result, IServiceProvider services)
    {
        while (result is INestedHttpResult nested) result = nested.Result; // Results<…> unions
        if (result is not IStatusCodeHttpResult { StatusCode: { } status })
            throw new InvalidOperationException($"An endpoint with {Header} must return a TypedResults result with a status code; got {result?.GetType().Name ?? "null"}.");
        if (status is < 200 or > 299) return (status, "", null);
        var value = (result as IValueHttpResult)?.Value;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = value is null ? "" : JsonSerializer.Serialize(value, value.GetType(), json);
        // Created, Created<T>, Accepted and Accepted<T> each carry a Location property of their own.
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        return (status, body, location);
    }

    static IResult Replay(IdempotencyRecord stored, HttpContext http)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        if (stored.Location is not null) http.Response.Headers.Location = stored.Location;
        return stored.ResponseBody.Length == 0
            ? TypedResults.StatusCode(stored.StatusCode)
            : TypedResults.Text(stored.ResponseBody, "application/json; charset=utf-8", statusCode: stored.StatusCode);
    }

    static ProblemHttpResult Reused(IdempotencyRecord stored, string endpoint) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency-Key reused with a different request",
        detail: $"This {Header} was first used at {stored.CreatedAt:O} " +
                (stored.Endpoint == endpoint ? "with a different body" : $"on {stored.Endpoint}") +
                ". A retry must send the same request; a new request needs a new key. Keys expire after 24 hours.");

    static void Document(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Extension. A unique key per logical request (e.g. a UUID), 1–255 printable ASCII characters. " +
                          "Retrying with the same key and body within 24 hours replays the first 2xx response (with " +
                          $"`{ReplayedHeader}: true`) and has no second effect; the same key with a different body is a 422. " +
                          "A request that failed stores nothing, so it can be corrected and retried with the same key.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = MaxKeyLength },
            Extensions = new Dictionary<string, IOpenApiExtension> { [PartnerApi.ExtensionMarker] = new JsonNodeExtension(JsonValue.Create(true)) },
        });
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (!code.StartsWith('2') || response is not OpenApiResponse documented) continue;
            documented.Headers ??= new Dictionary<string, IOpenApiHeader>();
            documented.Headers[ReplayedHeader] = new OpenApiHeader
            {
                Description = $"Extension: `true` when this is the stored response to an earlier request with the same {Header}.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }
}
