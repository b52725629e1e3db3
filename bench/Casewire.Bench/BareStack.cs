using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Casewire.Bench;

/// <summary>
/// The bare stack the load benchmark compares with (issue 18): Kestrel, routing and System.Text.Json with
/// the Partner API's four load routes, and no authentication, validation or database. Each write reads
/// the same request body wrk sends Casewire and answers with it and an id, with Casewire's status codes
/// (201 Created for a new contact or case, 202 Accepted for a message). Run as its own process
/// (<c>Casewire.Bench bare --urls http://127.0.0.1:PORT</c>), so its CPU time is measured like the server's.
/// </summary>
static class BareStack
{
    static long _ids;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health/ready", () => TypedResults.Ok());
        app.MapGet("/partner/v2/me", () => TypedResults.Ok(new JsonObject
        {
            ["company"] = new JsonObject { ["slug"] = "bench-firm", ["name"] = "Bench Firm" },
            ["token"] = new JsonObject { ["name"] = "bench", ["prefix"] = "cw_12345678" },
        }));
        app.MapPut("/partner/v2/contacts", (JsonObject body) => Created("contacts", body));
        app.MapPut("/partner/v2/projects", (JsonObject body) => Created("projects", body));
        app.MapPost("/partner/v2/send-message", (JsonObject body) =>
        {
            var id = Interlocked.Increment(ref _ids);
            body["id"] = id;
            body["status"] = "queued";
            return TypedResults.Accepted($"/partner/v2/messages/{id}", body);
        });
        await app.RunAsync();
        return 0;
    }

    static Created<JsonObject> Created(string collection, JsonObject body)
    {
        body["id"] = Interlocked.Increment(ref _ids);
        return TypedResults.Created($"/partner/v2/{collection}/{Uri.EscapeDataString((string?)body["externalId"] ?? "")}", body);
    }
}
