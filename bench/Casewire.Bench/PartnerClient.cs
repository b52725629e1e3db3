using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Casewire.Bench;

/// <summary>
/// The Partner API as a CMS calls it (Bearer token, JSON), for seeding through the API: every
/// response is checked, so a seed either completes or the benchmark stops with the server's answer.
/// </summary>
sealed class PartnerClient : IDisposable
{
    readonly HttpClient _http;

    public PartnerClient(Uri baseUri, string token)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Seeded contacts are named <c>{prefix}{n}</c>, n = 1…count, each with a phone and an email.</summary>
    public Task PutContactAsync(string externalId, int n, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, "partner/v2/contacts", new
        {
            externalId,
            firstName = FirstNames[n % FirstNames.Length],
            lastName = LastNames[n / FirstNames.Length % LastNames.Length],
            email = $"client{n}@example.com",
            phone = $"+1555{n % 10_000_000:D7}",
        }, ct);

    public Task PutProjectAsync(string externalId, IReadOnlyList<string> clients, bool milestones, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, "partner/v2/projects", new
        {
            externalId,
            name = $"{LastNames[externalId.Length % LastNames.Length]} v. Northwind Insurance",
            partnerPhaseName = "Intake",
            clients,
            partnerProjectTypeName = "Personal Injury",
            milestonesEnabled = milestones,
            status = "In Progress",
        }, ct);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted))
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs <paramref name="action"/> for 1…<paramref name="count"/> on <paramref name="parallel"/> connections.</summary>
    public static Task ForEachAsync(int count, int parallel, Func<int, CancellationToken, Task> action, CancellationToken ct) =>
        Parallel.ForAsync(1, count + 1, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
            async (n, token) => await action(n, token));

    /// <summary>
    /// The pools the wrk scripts draw from (bench/wrk/common.lua): contacts <c>seed-contact-N</c> and
    /// projects <c>seed-case-N</c>, each project with one or two of those contacts as clients.
    /// </summary>
    public async Task SeedPoolsAsync(int contacts, int projects, CancellationToken ct)
    {
        await ForEachAsync(contacts, 8, (n, t) => PutContactAsync($"seed-contact-{n}", n, t), ct);
        await ForEachAsync(projects, 8, (n, t) =>
        {
            var clients = new List<string> { $"seed-contact-{n % contacts + 1}" };
            if (n % 3 == 0) clients.Add($"seed-contact-{(n * 7) % contacts + 1}");
            return PutProjectAsync($"seed-case-{n}", clients.Distinct().ToList(), milestones: false, t);
        }, ct);
    }

    static readonly string[] FirstNames = ["Maria", "James", "Aisha", "Wei", "Olivia", "Mateo", "Fatima", "Liam", "Sofia", "Noah", "Priya", "Lucas"];
    static readonly string[] LastNames = ["Garcia", "Smith", "Okafor", "Chen", "Johnson", "Rossi", "Haddad", "Brown", "Novak", "Kim", "Patel", "Silva"];

    public void Dispose() => _http.Dispose();
}
