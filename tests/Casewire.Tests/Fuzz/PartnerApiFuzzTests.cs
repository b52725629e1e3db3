using System.Diagnostics;
using System.Text;
using Casewire.Partner;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// Robustness (docs/decisions.md, the fuzz suite): for every Partner API endpoint, <see cref="FuzzSettings.Iterations"/>
/// requests mutated from the published examples, each answered with a 2xx or a 4xx problem (never a
/// 5xx, never a dropped connection), after which the database's invariants hold and each company
/// holds exactly what it was told it got. Same requests every run (<see cref="FuzzSettings.Seed"/>);
/// a failure prints the seed, the request and a file to replay it from.
/// </summary>
public sealed class PartnerApiFuzzTests(FuzzApp app) : IClassFixture<FuzzApp>
{
    public static TheoryData<string> Endpoints() => new(PartnerFuzzers.All.Select(f => f.Key));

    [Fact]
    public void EveryPartnerApiEndpointHasAFuzzer()
    {
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(PartnerApi.BasePath + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToList();

        // A new endpoint fails here until PartnerFuzzers.All has a fuzzer for it; a removed one, until its fuzzer goes.
        Assert.Equal(mapped, PartnerFuzzers.All.Select(f => f.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryAnswerIsA2xxOrA4xxProblemAndTheDatabaseStaysConsistent(string endpoint)
    {
        var fuzzer = PartnerFuzzers.All.Single(f => f.Key == endpoint);
        var (tenant, neighbour) = await app.NewFuzzTenantAsync();
        var random = FuzzSettings.RandomFor(endpoint);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var kinds = new Dictionary<string, int>();
        var slowest = (Took: TimeSpan.Zero, Index: -1, Note: "");
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < FuzzSettings.Iterations; i++)
        {
            var request = fuzzer.Next(tenant, random);
            var errorsBefore = app.Errors.Entries.Count;
            var started = clock.Elapsed;
            var (response, failure) = await app.SendAsync(request, tenant.Token);
            var took = clock.Elapsed - started;
            if (took > slowest.Took) slowest = (took, i, request.Notes.LastOrDefault() ?? "");
            var wrong = ResponseRules.Check(request, response, failure);
            if (response is not null)
            {
                statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
                fuzzer.Observe(tenant, request, response, wrong);
            }
            if (wrong.Count == 0) continue;
            failures.Add(Report(endpoint, i, request, response, wrong, app.Errors.Entries.Skip(errorsBefore)));
            foreach (var rule in wrong.Select(Kind).Distinct()) kinds[rule] = kinds.GetValueOrDefault(rule) + 1;
        }
        // What the requests queued is sent (sink providers): no odd name or text may break a delivery either.
        var errorsBeforeDispatch = app.Errors.Entries.Count;
        var sent = await app.DispatchAsync();
        var broken = await app.WithDbAsync(db => DatabaseInvariants.CheckAsync(db, [tenant, neighbour]));
        broken.AddRange(await app.WithDbAsync(db => DatabaseInvariants.UndeliveredAsync(db, tenant.Api.CompanyId, app.Time.GetUtcNow())));
        broken.AddRange(app.Errors.Entries.Skip(errorsBeforeDispatch).Select(e => $"sending what was queued logged an error: {e.Message} {e.Exception}"));

        var summary = $"{endpoint}: {FuzzSettings.Iterations} requests in {clock.Elapsed.TotalSeconds:0.0} s ({FuzzSettings.Replay}); " +
                      string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")) +
                      $"; slowest #{slowest.Index} ({slowest.Note}) {slowest.Took.TotalMilliseconds:0} ms; {sent} deliveries then sent";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {FuzzSettings.Iterations} requests broke a rule. {summary}{Environment.NewLine}" +
            $"Rules broken (times): {string.Join("; ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} ({k.Value})"))}{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Take(8)));
        Assert.True(broken.Count == 0, $"After {summary}{Environment.NewLine}the database breaks {broken.Count} invariants:{Environment.NewLine}" +
                                       string.Join(Environment.NewLine, broken.Take(20)));

        // A run whose requests all fail (or all pass) explores nothing: both sides must be reached.
        var successes = statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
        var refusals = statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value);
        Assert.True(successes >= FuzzSettings.Iterations / 20 && refusals >= FuzzSettings.Iterations / 20,
            $"the requests should reach both the 2xx and the 4xx paths (each at least 5%): {summary}");
    }

    /// <summary>A broken rule without its particulars (quoted values, numbers), to count how often each kind was broken.</summary>
    static string Kind(string wrong) => System.Text.RegularExpressions.Regex.Replace(wrong, @"'[^']*'|\d+", "…");

    static string Report(string endpoint, int iteration, FuzzRequest request, FuzzResponse? response, List<string> wrong,
        IEnumerable<Infrastructure.CapturedLogs.Entry> errors)
    {
        var saved = request.Save($"{FuzzSettings.Seed}-{endpoint}-{iteration}");
        var text = new StringBuilder()
            .AppendLine($"---- {endpoint} request #{iteration}: {string.Join("; ", wrong)}")
            .Append(request.Describe())
            .AppendLine($"answer: {response?.ToString() ?? "(none)"}");
        foreach (var error in errors.Take(2)) text.AppendLine($"server logged: {error.Message}{Environment.NewLine}{error.Exception?.Split(Environment.NewLine).Take(6).Aggregate((a, b) => a + Environment.NewLine + b)}");
        return text.AppendLine($"replay: {saved}").ToString();
    }
}
