using System.Net;
using Casewire.Delivery;
using Casewire.Partner.Auth;
using Casewire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Casewire.Tests;

/// <summary>
/// Observability (README "Observability"): logs never hold a bearer token, never a message body at Information or
/// above, and every line written while a delivery is handled names the delivery, its message and
/// its company. Everything the app logs at Information and above is captured, all categories
/// (ASP.NET Core's and EF Core's included), with scopes, structured values and exceptions.
/// </summary>
public sealed class LoggingTests(LoggingTests.App app) : IClassFixture<LoggingTests.App>
{
    public sealed class App : CasewireApp
    {
        public CapturedLogs Logs { get; } = new();
        internal ChattySmsSender Sms { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            // This provider sees Information and above of every category, whatever appsettings say.
            services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Information));
            services.AddSingleton<ISmsSender>(Sms);
        }
    }

    /// <summary>An SMS provider that writes its own log lines (as Twilio's does), without naming any id.</summary>
    internal sealed class ChattySmsSender : ISmsSender
    {
        public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public string Name => "chatty";
        public double? MessagesPerSecond => null;
        public HashSet<string> FailFor { get; } = [];

        public Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
        {
            if (!FailFor.Contains(sms.To)) return Task.FromResult(SendResult.Sent($"chatty-{sms.DeliveryId}"));
            Logger.LogWarning("The carrier connection hiccupped");
            return Task.FromResult(new SendResult(SendOutcome.Transient, ErrorCode: "hiccup", ErrorMessage: "try again"));
        }

        public Task<ReconcileResult> ReconcileAsync(OutgoingSms sms, DateTimeOffset attemptStartedAt, CancellationToken ct) =>
            Task.FromResult(new ReconcileResult(ReconcileOutcome.NotFound));
    }

    const string Body = "Confidential: the settlement offer is 48,250 dollars, reply before Friday";

    [Fact]
    public async Task NoLogLineHoldsABearerTokenOrAMessageBody()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.TeamMemberAsync("32435", "sam.park@example.com");
        await tenant.ContactAsync("c-log", phone: "+15551234567", email: "john.doe@example.com");
        await tenant.ProjectAsync("p-log", ["c-log"]);
        var sent = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            new { projectId = "p-log", text = Body, authorId = "32435" })).ExpectAsync(HttpStatusCode.Accepted);
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            new { phoneNumber = "+15551234568", text = Body })).ExpectAsync(HttpStatusCode.Accepted);
        // A body the server cannot read, the text inside it, and one too long to accept.
        await tenant.Http.PostJsonAsync("/partner/v2/send-message", $$"""{ "projectId": "p-log", text: "{{Body}}" }""");
        await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "p-log", text = string.Concat(Enumerable.Repeat(Body, 40)) });
        await app.DispatchAsync();
        await (await tenant.Http.GetAsync($"/partner/v2/messages/{(int)sent["id"]!}")).ExpectAsync(HttpStatusCode.OK);

        var unknown = TokenSecrets.NewToken();
        await app.ClientFor(unknown).GetAsync("/partner/v2/me");
        var malformed = "cw_not-a-real-token-" + Guid.NewGuid().ToString("N");
        await app.ClientFor(malformed).GetAsync("/partner/v2/me");
        var revoked = await app.WithDbAsync(async db =>
            (await ApiTokens.CreateAsync(db, tenant.CompanyId, "old sync", app.Time.GetUtcNow(), CancellationToken.None)).Secret);
        await (await app.ClientFor(revoked).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await app.WithDbAsync(db => ApiTokens.RevokeAsync(db, tenant.CompanyId, TokenSecrets.PrefixOf(revoked), app.Time.GetUtcNow(), CancellationToken.None));
        await (await app.ClientFor(revoked).GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);

        var lines = app.Logs.Entries.ToList();
        Assert.Contains(lines, l => l.Message.Contains("not authenticated", StringComparison.Ordinal)); // the capture works
        Assert.All(lines, l => Assert.True(l.Level >= LogLevel.Information, l.ToString()));
        foreach (var secret in new[] { tenant.Token, unknown, malformed, revoked, Body, Body[..30] })
        {
            var leaking = lines.Where(l => l.AllText.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaking.Count == 0, $"'{secret[..12]}…' appears in: {string.Join(" | ", leaking)}");
        }
    }

    [Fact]
    public async Task EveryLineWrittenWhileADeliveryIsHandledNamesItsDeliveryMessageAndCompany()
    {
        app.Sms.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Casewire.Delivery.Sms.Chatty");
        app.Sms.FailFor.Add("+15557654321");
        var tenant = await app.NewTenantAsync();
        var sent = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message",
            new { phoneNumber = "+15557654321", text = "Your hearing moved to Monday" })).ExpectAsync(HttpStatusCode.Accepted);
        var messageId = (int)sent["id"]!;
        var deliveryId = (long)sent["recipients"]![0]!["deliveryId"]!;

        await app.DispatchAsync();

        var lines = app.Logs.Entries.Where(l => l.Category.StartsWith("Casewire.Delivery", StringComparison.Ordinal)
                                                && l.Find("DeliveryId") == deliveryId.ToString()).ToList();
        Assert.Contains(lines, l => l.Message == "The carrier connection hiccupped"); // the provider's own line, ids from the scope
        Assert.Contains(lines, l => l.Message.Contains("failed transiently", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.Equal(messageId.ToString(), l.Find("MessageId"));
            Assert.Equal(tenant.CompanyId.ToString(), l.Find("CompanyId"));
        });
    }
}
