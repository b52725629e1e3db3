using System.Net.Http.Headers;
using Casewire.Tests.Infrastructure;

namespace Casewire.ClientTests;

/// <summary>
/// The requests a generated client put on the wire (method, path and query, JSON body), recorded by a handler in front of
/// the in-process server, so a test can say what the client sent as well as what the server did with it.
/// </summary>
sealed class WireLog : DelegatingHandler
{
    readonly List<(string Method, string PathAndQuery, string? Body)> _requests = [];

    public IReadOnlyList<(string Method, string PathAndQuery, string? Body)> Requests => _requests;

    /// <summary>The body of the last request of <paramref name="method"/> to <paramref name="path"/>.</summary>
    public string LastBody(string method, string path) =>
        _requests.Last(r => r.Method == method && r.PathAndQuery.Split('?')[0] == path).Body
        ?? throw new InvalidOperationException($"{method} {path} had no body");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Add((request.Method.Method, request.RequestUri!.PathAndQuery, body));
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>An HttpClient to <paramref name="app"/> that carries <paramref name="tenant"/>'s token through a new log.</summary>
    public static (HttpClient Http, WireLog Log) ClientFor(CasewireApp app, CasewireApp.Tenant tenant)
    {
        var log = new WireLog();
        var http = app.CreateDefaultClient(log);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        return (http, log);
    }
}
