using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Casewire.Partner.Auth;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// SPEC §1: <c>Authorization: Bearer &lt;token&gt;</c>. A missing, malformed, unknown or revoked token
/// gets 401 with <c>WWW-Authenticate: Bearer</c> and a problem body; nothing about the company leaks.
/// Tokens are stored only as hashes.
/// </summary>
public sealed class TokenAuthTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static async Task AssertUnauthorizedAsync(HttpResponseMessage response, params string[] mustNotLeak)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("Bearer", response.Headers.GetValues("WWW-Authenticate").Single());
        foreach (var secret in mustNotLeak)
            Assert.DoesNotContain(secret, problem.Compact() + response.Headers.GetValues("WWW-Authenticate").Single());
    }

    static Task<HttpResponseMessage> GetWithAuthorizationAsync(HttpClient client, string path, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return client.SendAsync(request);
    }

    static string WellFormedUnknownToken() =>
        TokenSecrets.Scheme + RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 40);

    [Theory]
    [InlineData("GET", "/partner/v2/me")]
    [InlineData("GET", "/partner/v2/contacts")]
    [InlineData("GET", "/partner/v2/contacts/x")]
    [InlineData("PUT", "/partner/v2/contacts")]
    [InlineData("PUT", "/partner/v2/projects")]
    [InlineData("GET", "/partner/v2/projects")]
    [InlineData("PUT", "/partner/v2/team-members")]
    public async Task NoAuthorizationHeaderIsA401WithABearerChallengeAndAProblemBody(string method, string path)
    {
        var client = app.ClientFor(null);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
            request.Content = new StringContent("""{ "externalId": "x", "firstName": "A", "lastName": "B", "phone": "+15551234567" }""", Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        await AssertUnauthorizedAsync(response);
        Assert.Equal("Bearer", response.Headers.GetValues("WWW-Authenticate").Single());
    }

    [Fact]
    public async Task AnUnauthenticatedPutStoresNothing()
    {
        var client = app.ClientFor(null);
        var before = await app.WithDbAsync(db => db.Contacts.CountAsync());

        var response = await client.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "anon", "firstName": "A", "lastName": "B", "phone": "+15551234567" }""");

        await AssertUnauthorizedAsync(response);
        Assert.Equal(before, await app.WithDbAsync(db => db.Contacts.CountAsync()));
    }

    [Theory]
    [InlineData("Basic x")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer cw_")]
    [InlineData("Bearer cw_short")]
    [InlineData("Bearer cw_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("Token cw_0123456789012345678901234567890123456789")]
    public async Task AMalformedAuthorizationHeaderIsA401(string authorization)
    {
        var tenant = await app.NewTenantAsync();

        var response = await GetWithAuthorizationAsync(app.ClientFor(null), "/partner/v2/me", authorization);

        await AssertUnauthorizedAsync(response, tenant.Slug);
    }

    [Fact]
    public async Task ATokenInAnotherAuthorizationSchemeIsA401()
    {
        var tenant = await app.NewTenantAsync();

        var response = await GetWithAuthorizationAsync(app.ClientFor(null), "/partner/v2/me", "Basic " + tenant.Token);

        await AssertUnauthorizedAsync(response, tenant.Slug, tenant.Token);
    }

    [Fact]
    public async Task TheBearerSchemeIsCaseInsensitive()
    {
        var tenant = await app.NewTenantAsync();

        var response = await GetWithAuthorizationAsync(app.ClientFor(null), "/partner/v2/me", "bearer " + tenant.Token);

        var me = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(tenant.Slug, (string?)me["company"]!["slug"]);
    }

    [Fact]
    public async Task AnUnknownWellFormedTokenIsA401()
    {
        var unknown = WellFormedUnknownToken();

        var response = await app.ClientFor(unknown).GetAsync("/partner/v2/me");

        await AssertUnauthorizedAsync(response, unknown);
    }

    [Fact]
    public async Task ATokenWithOneCharacterChangedIsA401()
    {
        var tenant = await app.NewTenantAsync();
        var last = tenant.Token[^1];
        var altered = tenant.Token[..^1] + (last == 'a' ? 'b' : 'a');

        var response = await app.ClientFor(altered).GetAsync("/partner/v2/me");

        await AssertUnauthorizedAsync(response, tenant.Slug);
    }

    [Fact]
    public async Task ARevokedTokenIsA401WhileAnotherTokenOfTheSameCompanyKeepsWorking()
    {
        var tenant = await app.NewTenantAsync();
        var (_, other) = await app.WithDbAsync(db => ApiTokens.CreateAsync(db, tenant.CompanyId, "other", app.Time.GetUtcNow(), CancellationToken.None));
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        var outcome = await app.WithDbAsync(db => ApiTokens.RevokeAsync(db, tenant.CompanyId, tenant.Token[..11], app.Time.GetUtcNow(), CancellationToken.None));

        Assert.Equal(ApiTokens.RevokeOutcome.Revoked, outcome);
        await AssertUnauthorizedAsync(await tenant.Http.GetAsync("/partner/v2/me"), tenant.Slug, "Firm ");
        await AssertUnauthorizedAsync(await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            """{ "externalId": "after-revoke", "firstName": "A", "lastName": "B", "phone": "+15551234567" }"""), tenant.Slug);
        Assert.Equal(0, await app.WithDbAsync(db => db.Contacts.CountAsync(c => c.CompanyId == tenant.CompanyId)));

        var me = await (await app.ClientFor(other).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(tenant.Slug, (string?)me["company"]!["slug"]);
        Assert.Equal("other", (string?)me["token"]!["name"]);
        Assert.Equal(other[..11], (string?)me["token"]!["prefix"]);
    }

    [Fact]
    public async Task RevokingAnotherCompanysPrefixRevokesNothing()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();

        var outcome = await app.WithDbAsync(db => ApiTokens.RevokeAsync(db, a.CompanyId, b.Token[..11], app.Time.GetUtcNow(), CancellationToken.None));

        Assert.Equal(ApiTokens.RevokeOutcome.NotFound, outcome);
        await (await b.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LastUsedIsNullBeforeFirstUseThenTheCurrentTimeAndMovesOnWithTheClock()
    {
        var tenant = await app.NewTenantAsync();
        Task<DateTimeOffset?> LastUsedAsync() =>
            app.WithDbAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.Id == tenant.TokenId).Select(t => t.LastUsedAt).SingleAsync());

        Assert.Null(await LastUsedAsync());

        app.Time.Advance(TimeSpan.FromSeconds(30));
        var firstCall = app.Time.GetUtcNow();
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(firstCall, await TokenCacheTests.LastUsedWrittenAsync(app, tenant.TokenId, firstCall)); // by the background flush (TokenCacheTests)

        app.Time.Advance(TimeSpan.FromMinutes(2));
        var secondCall = app.Time.GetUtcNow();
        await (await tenant.Http.GetAsync("/partner/v2/contacts")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(secondCall, await TokenCacheTests.LastUsedWrittenAsync(app, tenant.TokenId, secondCall));
    }

    [Fact]
    public async Task AFailedAttemptDoesNotTouchLastUsed()
    {
        var tenant = await app.NewTenantAsync();
        var altered = tenant.Token[..^1] + (tenant.Token[^1] == 'a' ? 'b' : 'a');

        await app.ClientFor(altered).GetAsync("/partner/v2/me");
        await GetWithAuthorizationAsync(app.ClientFor(null), "/partner/v2/me", "Basic " + tenant.Token);
        app.Time.Advance(TokenLastUsed.FlushPeriod * 2);

        Assert.Null(await app.WithDbAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.Id == tenant.TokenId).Select(t => t.LastUsedAt).SingleAsync()));
    }

    [Fact]
    public async Task TheStoredHashIsTheLowerHexSha256OfTheTokenAndThePrefixIsItsFirstElevenCharacters()
    {
        var tenant = await app.NewTenantAsync();

        var stored = await app.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == tenant.TokenId));

        Assert.Matches("^cw_[0-9A-Za-z]{40}$", tenant.Token);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant.Token))), stored.Hash);
        Assert.Matches("^[0-9a-f]{64}$", stored.Hash);
        Assert.Equal(tenant.Token[..11], stored.Prefix);
    }

    [Fact]
    public async Task NoColumnOfAnyApiTokenRowContainsAToken()
    {
        var tenant = await app.NewTenantAsync();
        var (_, second) = await app.WithDbAsync(db => ApiTokens.CreateAsync(db, tenant.CompanyId, "second", app.Time.GetUtcNow(), CancellationToken.None));
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await (await app.ClientFor(second).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        var values = await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM \"ApiTokens\"";
            await using var reader = await command.ExecuteReaderAsync();
            var texts = new List<string>();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    texts.Add(value is byte[] bytes
                        ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToHexString(bytes)
                        : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                }
            return texts;
        });

        // The query did read the tokens' rows: their hashes are there.
        Assert.Contains(TokenSecrets.Hash(tenant.Token), values);
        Assert.Contains(TokenSecrets.Hash(second), values);
        foreach (var token in new[] { tenant.Token, second })
        {
            Assert.DoesNotContain(values, v => v.Contains(token, StringComparison.OrdinalIgnoreCase));
            // Nor the secret part alone (without the cw_ scheme).
            Assert.DoesNotContain(values, v => v.Contains(token[3..], StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task TheSqliteFileAndItsWriteAheadLogNeverContainAToken()
    {
        if (app.SqliteFile is not { } file)
        {
            Assert.Skip("SQLite only: on PostgreSQL the column check covers it.");
            return;
        }
        var tenant = await app.NewTenantAsync();
        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        var bytes = new List<byte>();
        foreach (var path in new[] { file, file + "-wal" })
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                bytes.AddRange(buffer.ToArray());
            }
        var contents = bytes.ToArray();

        // The files were read where the row lives: its hash is in them.
        Assert.True(IndexOf(contents, Encoding.ASCII.GetBytes(TokenSecrets.Hash(tenant.Token))) >= 0, "the token's hash should be in the database files");
        Assert.True(IndexOf(contents, Encoding.ASCII.GetBytes(tenant.Token[3..])) < 0, "the token's secret must not be in the database files");
        Assert.True(IndexOf(contents, Encoding.Unicode.GetBytes(tenant.Token[3..])) < 0, "the token's secret must not be in the database files (UTF-16)");
    }

    static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
