using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Casewire.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 that accepts OTLP/HTTP exports (<c>POST /v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>, protobuf) and keeps their bodies. Protobuf stores strings as
/// UTF-8, so a test can look for a span name, an attribute key or a secret in the raw bytes.
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    readonly WebApplication _server;
    readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    FakeOtlpCollector(WebApplication server) => _server = server;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var collector = new FakeOtlpCollector(LoopbackServer.Create());
        collector._server.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._exports.Enqueue((context.Request.Path.Value!, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        collector.BaseUrl = await LoopbackServer.StartAsync(collector._server);
        return collector;
    }

    /// <summary>Every export body received on one signal's path (e.g. <c>/v1/traces</c>), as text for searching.</summary>
    public IReadOnlyList<string> Received(string path) =>
        _exports.Where(e => e.Path == path).Select(e => Encoding.UTF8.GetString(e.Body)).ToList();

    public IReadOnlyList<string> All => _exports.Select(e => Encoding.UTF8.GetString(e.Body)).ToList();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
