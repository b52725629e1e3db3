using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Casewire.Delivery;
using Casewire.Delivery.Email;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Tests;

/// <summary>The app with <c>Email:Provider=Smtp</c> pointed at an in-process SMTP server (SPEC §7, §9).</summary>
public sealed class SmtpApp : CasewireApp
{
    /// <summary>Settings over the defaults below; a null value removes the key.</summary>
    public Dictionary<string, string?> Overrides { get; init; } = [];

    public const string From = "office@acme.example";

    public SmtpCatcher Catcher { get; private set; } = null!;

    protected override async Task BeforeStartAsync() => Catcher = await SmtpCatcher.StartAsync();

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Email:Provider"] = "Smtp";
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = Catcher.Port.ToString();
        settings["Smtp:Security"] = "None";
        settings["Smtp:From"] = From;
        foreach (var (key, value) in Overrides)
        {
            if (value is null) settings.Remove(key);
            else settings[key] = value;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Catcher is not null) await Catcher.DisposeAsync();
    }
}

/// <summary>SPEC §7: email to a client who has only an email goes out by SMTP, classified, retried, recorded.</summary>
public sealed class SmtpTests(SmtpApp app) : IClassFixture<SmtpApp>
{
    /// <summary>A company with an email-only client on a project (no milestones, so only the explicit message goes out).</summary>
    static async Task<(CasewireApp.Tenant Tenant, string Email)> EmailOnlyClientAsync(CasewireApp on)
    {
        var tenant = await on.NewTenantAsync();
        var email = $"ann.{Guid.NewGuid():N}@client.example";
        await tenant.ContactAsync("c1", email: email);
        await tenant.ProjectAsync("p1", ["c1"], name: PartnerSetup.CaseName);
        return (tenant, email);
    }

    /// <summary>Posts the message; returns its id and the email delivery's id.</summary>
    static async Task<(int MessageId, long DeliveryId)> SendAsync(CasewireApp.Tenant tenant, string text)
    {
        var accepted = await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { projectId = "p1", text }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var recipient = Assert.Single(accepted["recipients"]!.AsArray())!;
        Assert.Equal("email", (string?)recipient["channel"]);
        Assert.Equal("queued", (string?)recipient["status"]);
        return ((int)accepted["id"]!, (long)recipient["deliveryId"]!);
    }

    static async Task<JsonNode> RecipientAsync(CasewireApp.Tenant tenant, int messageId)
    {
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(message["recipients"]!.AsArray())!;
    }

    IReadOnlyList<SmtpCatcher.Caught> ReceivedBy(string email) =>
        app.Catcher.Messages.Where(m => m.EnvelopeTo.Contains(email)).ToList();

    [Fact]
    public async Task AMessageToAnEmailOnlyClientReachesTheMailServerOnceWithAStableMessageId()
    {
        var (tenant, email) = await EmailOnlyClientAsync(app);
        var (messageId, deliveryId) = await SendAsync(tenant, "Your deposition is moved to Friday at 10:00.");

        await app.DispatchAsync();

        var caught = Assert.Single(ReceivedBy(email)).Message;
        Assert.Equal(email, Assert.Single(caught.To.Mailboxes).Address);
        Assert.Equal(SmtpApp.From, Assert.Single(caught.From.Mailboxes).Address);
        Assert.Equal("Your deposition is moved to Friday at 10:00.", caught.TextBody?.TrimEnd('\r', '\n'));
        Assert.Contains("Firm " + tenant.Slug, caught.Subject);
        Assert.Contains("Lee v. Harbor Freight", caught.Subject);
        Assert.Equal($"cw-{deliveryId}@acme.example", caught.MessageId);

        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(email, (string?)recipient["address"]);
        Assert.Equal($"cw-{deliveryId}@acme.example", (string?)recipient["providerMessageId"]);
        Assert.NotNull(recipient["sentAt"]);
    }

    [Fact]
    public async Task A451IsRetriedAfterTheBackoffAndTheClientGetsExactlyOneEmail()
    {
        var (tenant, email) = await EmailOnlyClientAsync(app);
        app.Catcher.RejectNext(1, 451, "4.3.0 Mail server temporarily rejected message");
        var (messageId, deliveryId) = await SendAsync(tenant, "We filed the motion today.");

        await app.DispatchAsync();

        Assert.Empty(ReceivedBy(email));
        var deferred = await RecipientAsync(tenant, messageId);
        Assert.Equal("queued", (string?)deferred["status"]);
        Assert.Equal("smtp-451", (string?)deferred["errorCode"]);
        var first = Assert.Single(deferred["attempts"]!.AsArray())!;
        Assert.Equal("transientfailure", (string?)first["outcome"]);

        await app.DispatchAsync(); // not due yet: no second try at the same instant
        Assert.Empty(ReceivedBy(email));

        app.Time.Advance(TimeSpan.FromSeconds(10)); // SPEC §7: the first retry within 10 s
        await app.DispatchAsync();

        var caught = Assert.Single(ReceivedBy(email)).Message;
        Assert.Equal($"cw-{deliveryId}@acme.example", caught.MessageId);
        var sent = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)sent["status"]);
        Assert.Equal(2, sent["attempts"]!.AsArray().Count);
    }

    [Fact]
    public async Task A550FailsAtOnceWithTheServersReplyAndIsNeverRetried()
    {
        var (tenant, email) = await EmailOnlyClientAsync(app);
        app.Catcher.RejectNext(1, 550, "5.1.1 Mailbox does not exist");
        var rejectedBefore = app.Catcher.Rejected;
        var (messageId, _) = await SendAsync(tenant, "Please call the office.");

        await app.DispatchAsync();

        var failed = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("smtp-550", (string?)failed["errorCode"]);
        Assert.Contains("Mailbox does not exist", (string?)failed["errorMessage"]);
        Assert.Equal("permanentfailure", (string?)Assert.Single(failed["attempts"]!.AsArray())!["outcome"]);

        app.Time.Advance(TimeSpan.FromDays(1));
        await app.DispatchAsync();

        Assert.Empty(ReceivedBy(email));
        Assert.Equal(rejectedBefore + 1, app.Catcher.Rejected);
        var later = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)later["status"]);
        Assert.Single(later["attempts"]!.AsArray());
    }

    [Fact]
    public async Task AnUnreachableMailServerIsATransientFailureQueuedForAnotherTry()
    {
        await using var down = new SmtpApp { Overrides = { ["Smtp:Port"] = SmtpCatcher.UnusedPort().ToString() } };
        await down.InitializeAsync();
        var (tenant, _) = await EmailOnlyClientAsync(down);
        var (messageId, deliveryId) = await SendAsync(tenant, "Your hearing is on Monday.");

        await down.DispatchAsync();

        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("queued", (string?)recipient["status"]);
        Assert.Equal("smtp-network", (string?)recipient["errorCode"]);
        var attempt = Assert.Single(recipient["attempts"]!.AsArray())!;
        Assert.Equal("transientfailure", (string?)attempt["outcome"]);
        var item = await down.WithDbAsync(db => db.OutboxItems.SingleAsync(o => o.Id == deliveryId));
        Assert.Equal(DeliveryStatus.Pending, item.Status);
        Assert.Equal(1, item.Attempts);
        Assert.True(item.AvailableAt > down.Time.GetUtcNow(), "the retry waits for its backoff");
    }

    [Fact]
    public async Task MissingHostAndFromStopStartUpNamingBothKeys()
    {
        await using var misconfigured = new SmtpApp { Overrides = { ["Smtp:Host"] = null, ["Smtp:From"] = null } };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => misconfigured.InitializeAsync().AsTask());

        Assert.Contains("Smtp:Host is required", error.Message);
        Assert.Contains("Smtp:From is required", error.Message);
    }

    [Fact]
    public async Task AFromThatIsNotAnAddressStopsStartUp()
    {
        await using var misconfigured = new SmtpApp { Overrides = { ["Smtp:From"] = "Acme Law" } };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => misconfigured.InitializeAsync().AsTask());

        Assert.Contains("Smtp:From 'Acme Law' is not an email address", error.Message);
    }

    [Theory]
    [InlineData(nameof(SmtpSecurity.Auto), 587)]
    [InlineData(nameof(SmtpSecurity.StartTls), 587)]
    [InlineData(nameof(SmtpSecurity.SslOnConnect), 465)]
    [InlineData(nameof(SmtpSecurity.None), 25)]
    public void ThePortDefaultsToTheUsualOneForTheSecurityMode(string securityName, int port) =>
        Assert.Equal(port, new SmtpOptions { Security = Enum.Parse<SmtpSecurity>(securityName) }.EffectivePort);

    [Fact]
    public void ARefusedLoginIsPermanentAndTellsTheAdminWhichSettingsToCheck()
    {
        var result = Casewire.Delivery.FailureClassification.ForSmtp(new MailKit.Security.AuthenticationException("535: 5.7.8 Authentication credentials invalid"));

        Assert.NotNull(result);
        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Contains("Smtp:User and Smtp:Password", result.ErrorMessage);
    }
}
