using System.Net;
using Casewire.Partner.Auth;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests;

/// <summary>
/// SPEC §1: a token bucket per token (<c>RateLimit:PermitsPerMinute</c>), <c>429</c> with
/// <c>Retry-After</c> and a problem body; one token's burst never touches another token or company.
/// The bucket refills on the real clock (the rate limiter takes no TimeProvider), so each test
/// spends its budget at once: at 5 a minute a permit comes back every 12 s, far longer than a burst.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.App app) : IClassFixture<RateLimitTests.App>
{
    public const int Budget = 5;

    public sealed class App : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings) =>
            settings["RateLimit:PermitsPerMinute"] = Budget.ToString();
    }

    static async Task SpendBudgetAsync(HttpClient client)
    {
        for (var i = 0; i < Budget; i++)
            await (await client.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheRequestAfterTheBudgetIsA429WithRetryAfterAndAProblemBody()
    {
        var tenant = await app.NewTenantAsync();
        await SpendBudgetAsync(tenant.Http);

        var response = await tenant.Http.GetAsync("/partner/v2/me");

        var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // One permit every 60/5 = 12 s: the client is told to wait at least a second and at most that.
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(12));
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", (string?)problem["type"]);
        Assert.Contains($"{Budget} requests per minute", (string?)problem["detail"]);
        Assert.Contains("Retry-After", (string?)problem["detail"]);
    }

    [Fact]
    public async Task WritesCountAgainstTheSameBudgetAndARejectedWriteStoresNothing()
    {
        var tenant = await app.NewTenantAsync();
        await SpendBudgetAsync(tenant.Http);

        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "over-budget", "firstName": "Ann", "lastName": "Lee", "phone": "+15551234567" }""");

        await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.False(await app.WithDbAsync(db => Task.FromResult(db.Contacts.Any(c => c.CompanyId == tenant.CompanyId))));
    }

    [Fact]
    public async Task AnotherTokenOfTheSameCompanyIsUnaffected()
    {
        var tenant = await app.NewTenantAsync();
        var secret = await app.WithDbAsync(async db =>
            (await ApiTokens.CreateAsync(db, tenant.CompanyId, "second sync", app.Time.GetUtcNow(), CancellationToken.None)).Secret);
        var second = app.ClientFor(secret);
        await SpendBudgetAsync(tenant.Http);
        await (await tenant.Http.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.TooManyRequests);

        await SpendBudgetAsync(second);
    }

    [Fact]
    public async Task ATokenOfAnotherCompanyIsUnaffected()
    {
        var noisy = await app.NewTenantAsync();
        var quiet = await app.NewTenantAsync();
        await SpendBudgetAsync(noisy.Http);
        await (await noisy.Http.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.TooManyRequests);

        await SpendBudgetAsync(quiet.Http);
        await (await quiet.Http.GetAsync("/partner/v2/contacts")).ProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task UnauthenticatedRequestsAre401NeverA429()
    {
        var anonymous = app.ClientFor(null);
        var unknown = app.ClientFor(TokenSecrets.NewToken());

        for (var i = 0; i < Budget * 3; i++)
        {
            await (await anonymous.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
            await (await unknown.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ARevokedTokenIsA401EvenWhenItsBudgetIsSpent()
    {
        var tenant = await app.NewTenantAsync();
        await SpendBudgetAsync(tenant.Http);
        await app.WithDbAsync(db => ApiTokens.RevokeAsync(db, tenant.CompanyId, TokenSecrets.PrefixOf(tenant.Token), app.Time.GetUtcNow(), CancellationToken.None));

        await (await tenant.Http.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task HealthChecksAreNotLimited()
    {
        var client = app.ClientFor(null);
        for (var i = 0; i < Budget * 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}

/// <summary><c>RateLimit:PermitsPerMinute = 0</c> turns limiting off (the benchmarks run so).</summary>
public sealed class RateLimitOffTests(RateLimitOffTests.App app) : IClassFixture<RateLimitOffTests.App>
{
    public sealed class App : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["RateLimit:PermitsPerMinute"] = "0";
    }

    [Fact]
    public async Task ZeroPermitsPerMinuteMeansNoLimit()
    {
        var tenant = await app.NewTenantAsync();

        for (var i = 0; i < 50; i++)
            await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
    }
}
