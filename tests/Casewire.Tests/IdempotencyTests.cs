using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>SPEC §1 (extension): <c>Idempotency-Key</c> on POST /partner/v2/send-message, Stripe semantics.</summary>
public sealed class IdempotencyTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string Phone = "+15551234567";
    const string Hello = """{ "projectId": "case-1", "text": "Your hearing is set for Monday." }""";
    const string Other = """{ "projectId": "case-1", "text": "Your hearing moved to Tuesday." }""";

    Task<CasewireApp.Tenant> TenantWithProjectAsync() => app.ProjectWithClientsAsync("case-1", ("client-1", Phone, null));

    static async Task<HttpResponseMessage> SendAsync(CasewireApp.Tenant tenant, string? key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/partner/v2/send-message")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await tenant.Http.SendAsync(request);
    }

    static bool Replayed(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.SingleOrDefault() == "true";

    Task<int> MessageCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == tenant.CompanyId && m.Kind == MessageKind.Explicit));

    Task<int> DeliveryCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.OutboxItems.CountAsync(o => o.CompanyId == tenant.CompanyId && o.To == Phone));

    Task<int> RecordCountAsync(CasewireApp.Tenant tenant) =>
        app.WithDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.CompanyId == tenant.CompanyId));

    [Fact]
    public async Task SameKeyAndBodyReplaysTheFirstResponseAndSendsOnce()
    {
        var tenant = await TenantWithProjectAsync();

        var first = await SendAsync(tenant, "key-1", Hello);
        var second = await SendAsync(tenant, "key-1", Hello);

        var firstBody = await first.ExpectAsync(HttpStatusCode.Accepted);
        var secondBody = await second.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(firstBody.Compact(), secondBody.Compact());
        Assert.False(Replayed(first));
        Assert.True(Replayed(second));
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal($"/partner/v2/messages/{(int)firstBody["id"]!}", second.Headers.Location?.OriginalString);
        Assert.Equal(1, await MessageCountAsync(tenant));
        Assert.Equal(1, await DeliveryCountAsync(tenant));

        await app.DispatchAsync();

        Assert.Single(app.SinkLines(), l => (int?)l["messageId"] == (int)firstBody["id"]!);
    }

    [Fact]
    public async Task SameKeyWithADifferentBodyIsA422AndSendsNothing()
    {
        var tenant = await TenantWithProjectAsync();
        await (await SendAsync(tenant, "key-1", Hello)).ExpectAsync(HttpStatusCode.Accepted);

        var response = await SendAsync(tenant, "key-1", Other);

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key reused with a different request", (string?)problem["title"]);
        Assert.False(Replayed(response));
        Assert.Equal(1, await MessageCountAsync(tenant));
    }

    [Fact]
    public async Task DifferentKeysAreDifferentRequests()
    {
        var tenant = await TenantWithProjectAsync();

        var first = await (await SendAsync(tenant, "key-1", Hello)).ExpectAsync(HttpStatusCode.Accepted);
        var second = await (await SendAsync(tenant, "key-2", Hello)).ExpectAsync(HttpStatusCode.Accepted);

        Assert.NotEqual((int)first["id"]!, (int)second["id"]!);
        Assert.Equal(2, await MessageCountAsync(tenant));
    }

    [Fact]
    public async Task ConcurrentDuplicatesCreateOneMessageAndAllGetItsResponse()
    {
        var tenant = await TenantWithProjectAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SendAsync(tenant, "key-race", Hello)));

        var bodies = new List<string>();
        foreach (var response in responses) bodies.Add((await response.ExpectAsync(HttpStatusCode.Accepted)).Compact());
        Assert.Single(bodies.Distinct());
        Assert.Single(responses, r => !Replayed(r));
        Assert.Equal(1, await MessageCountAsync(tenant));
        Assert.Equal(1, await DeliveryCountAsync(tenant));
    }

    [Fact]
    public async Task AfterTwentyFourHoursTheSameKeyIsANewRequest()
    {
        var tenant = await TenantWithProjectAsync();
        var first = await (await SendAsync(tenant, "key-1", Hello)).ExpectAsync(HttpStatusCode.Accepted);

        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var response = await SendAsync(tenant, "key-1", Hello);

        var second = await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.False(Replayed(response));
        Assert.NotEqual((int)first["id"]!, (int)second["id"]!);
        Assert.Equal(2, await MessageCountAsync(tenant));
        Assert.Equal(1, await RecordCountAsync(tenant));
    }

    [Fact]
    public async Task AFailedRequestStoresNothingSoTheCorrectedRequestCanReuseTheKey()
    {
        var tenant = await TenantWithProjectAsync();

        await (await SendAsync(tenant, "key-1", """{ "projectId": "no-such-case", "text": "Hello" }""")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await RecordCountAsync(tenant));
        var response = await SendAsync(tenant, "key-1", Hello);

        await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.False(Replayed(response));
        Assert.Equal(1, await MessageCountAsync(tenant));
    }

    [Fact]
    public async Task TheSameKeyInTwoCompaniesIsTwoRequests()
    {
        var firm = await TenantWithProjectAsync();
        var otherFirm = await TenantWithProjectAsync();

        var first = await SendAsync(firm, "shared-key", Hello);
        var second = await SendAsync(otherFirm, "shared-key", Other);

        var firstBody = await first.ExpectAsync(HttpStatusCode.Accepted);
        var secondBody = await second.ExpectAsync(HttpStatusCode.Accepted);
        Assert.False(Replayed(second));
        Assert.NotEqual((int)firstBody["id"]!, (int)secondBody["id"]!);
        Assert.Equal("Your hearing moved to Tuesday.", (string?)secondBody["text"]);
        Assert.Equal(1, await MessageCountAsync(firm));
        Assert.Equal(1, await MessageCountAsync(otherFirm));
    }

    public static TheoryData<string> InvalidKeys => [new string('k', 256), "caf\u00e9", "tab\there", "line\nbreak"];

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task AnInvalidKeyIsA400NamingTheHeader(string key)
    {
        var tenant = await TenantWithProjectAsync();

        var response = await SendAsync(tenant, key, Hello);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("printable ASCII", Assert.Single(problem.ErrorsFor("Idempotency-Key")));
        Assert.Equal(0, await MessageCountAsync(tenant));
    }

    [Fact]
    public async Task AKeyOf255PrintableCharactersIsAccepted()
    {
        var tenant = await TenantWithProjectAsync();

        var response = await SendAsync(tenant, "~ " + new string('k', 253), Hello);

        await response.ExpectAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task TheHeaderIsDocumentedAsAnOptionalExtensionParameter()
    {
        var document = await (await app.ClientFor(null).GetAsync("/openapi/v1.json")).JsonAsync();

        var parameters = document["paths"]!["/partner/v2/send-message"]!["post"]!["parameters"]!.AsArray();
        var parameter = Assert.Single(parameters, p => (string?)p!["name"] == "Idempotency-Key")!;
        Assert.Equal("header", (string?)parameter["in"]);
        Assert.NotEqual(true, (bool?)parameter["required"]);
        Assert.Equal(true, (bool?)parameter["x-casewire-extension"]);
    }

    [Fact]
    public async Task HousekeepingDeletesKeysOlderThan24HoursAndKeepsNewerOnes()
    {
        var tenant = await app.NewTenantAsync();
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            db.IdempotencyRecords.AddRange(
                new Casewire.Model.IdempotencyRecord { CompanyId = tenant.CompanyId, Key = "old", Endpoint = "POST /x", RequestHash = "h", ResponseBody = "{}", StatusCode = 202, CreatedAt = now - TimeSpan.FromHours(25) },
                new Casewire.Model.IdempotencyRecord { CompanyId = tenant.CompanyId, Key = "new", Endpoint = "POST /x", RequestHash = "h", ResponseBody = "{}", StatusCode = 202, CreatedAt = now - TimeSpan.FromHours(23) });
            await db.SaveChangesAsync();
        });

        await app.Services.GetRequiredService<Casewire.Delivery.Housekeeping>().SweepAsync(CancellationToken.None);

        var keys = await app.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.CompanyId == tenant.CompanyId).Select(r => r.Key).ToListAsync());
        Assert.Equal(["new"], keys);
    }
}
