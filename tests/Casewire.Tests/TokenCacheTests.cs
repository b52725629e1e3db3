using System.Net;
using Casewire.Partner.Auth;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// Issue 18: a request is authenticated from the instance's memory, not a query. A revoke (or a change to
/// the company a snapshot holds) shows at once on the instance that saved it and within a second on any other
/// instance on the same database; last-used times are written in the background, all tokens in one go.
/// </summary>
public sealed class TokenCacheTests(TokenCacheTests.Instances apps) : IClassFixture<TokenCacheTests.Instances>
{
    /// <summary>A second Casewire on the first one's database, with a clock of its own.</summary>
    public sealed class SecondInstance(string connectionString) : CasewireApp(connectionString);

    public sealed class Instances : IAsyncLifetime
    {
        public CasewireApp First { get; } = new();
        public CasewireApp Second { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            await First.InitializeAsync();
            Second = new SecondInstance(First.ConnectionString);
            await Second.InitializeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    CasewireApp First => apps.First;
    CasewireApp Second => apps.Second;

    [Fact]
    public async Task ARevokeIsRefusedAtOnceWhereItWasMadeAndWithinASecondOnAnotherInstance()
    {
        var tenant = await First.NewTenantAsync();
        var onSecond = Second.ClientFor(tenant.Token);
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await (await onSecond.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(ApiTokens.RevokeOutcome.Revoked, await First.WithDbAsync(db =>
            ApiTokens.RevokeAsync(db, tenant.CompanyId, tenant.Token[..11], First.Time.GetUtcNow(), CancellationToken.None)));

        await (await tenant.Http.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        // The second instance answers from its snapshot (no query per request) until the snapshot is a second old at most.
        await (await onSecond.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Second.Time.Advance(TimeSpan.FromSeconds(1));
        await (await onSecond.GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await onSecond.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "after-revoke", "firstName": "A", "lastName": "B", "phone": "+15551234567" }""")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await First.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task ACompanyRenamedOnOneInstanceIsAnsweredAtOnceThereAndWithinASecondOnAnother()
    {
        var tenant = await First.NewTenantAsync();
        var onSecond = Second.ClientFor(tenant.Token);
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await (await onSecond.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        await First.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.Name = "Renamed & Partners";
            await db.SaveChangesAsync();
        });

        Assert.Equal("Renamed & Partners", (string?)(await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK))["company"]!["name"]);
        Second.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Renamed & Partners", (string?)(await (await onSecond.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK))["company"]!["name"]);
    }

    [Fact]
    public async Task LastUsedTimesAreWrittenInTheBackgroundForAllTokensAtOnceWhenTheClockReachesTheFlush()
    {
        var a = await First.NewTenantAsync();
        var b = await First.NewTenantAsync();
        var used = First.Time.GetUtcNow();
        await (await a.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await (await b.Http.GetAsync("/partner/v2/contacts")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal((null, null), (await LastUsedAsync(First, a.TokenId), await LastUsedAsync(First, b.TokenId))); // not by the requests

        First.Time.Advance(TokenLastUsed.FlushPeriod);
        Assert.Equal(used, await LastUsedWrittenAsync(First, a.TokenId, used, advance: false));
        Assert.Equal(used, await LastUsedAsync(First, b.TokenId));
    }

    internal static Task<DateTimeOffset?> LastUsedAsync(CasewireApp app, int tokenId) =>
        app.WithDbAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => t.LastUsedAt).SingleAsync());

    /// <summary>
    /// Waits (briefly, on the real clock) for the background flush to write <paramref name="expected"/>;
    /// with <paramref name="advance"/>, moves the app's clock a flush period each time, so a flush is due whatever the clock did before.
    /// </summary>
    internal static async Task<DateTimeOffset?> LastUsedWrittenAsync(CasewireApp app, int tokenId, DateTimeOffset expected, bool advance = true)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var written = await LastUsedAsync(app, tokenId);
            if (written == expected || DateTime.UtcNow > deadline) return written;
            if (advance) app.Time.Advance(TokenLastUsed.FlushPeriod);
            await Task.Delay(10);
        }
    }
}
