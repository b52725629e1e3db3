using System.Net;
using System.Net.Http.Json;
using System.Text;
using Casewire.Cli;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>The app with Twilio pointed at a <see cref="FakeTwilio"/> and a <see cref="WebhookReceiver"/> for the integrator's endpoints.</summary>
public sealed class WebhookApp : CasewireApp
{
    public FakeTwilio Twilio { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override async Task BeforeStartAsync()
    {
        Twilio = await FakeTwilio.StartAsync(Time);
        Receiver = await WebhookReceiver.StartAsync(Time);
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Sms:Provider"] = "Twilio";
        settings["Twilio:BaseUrl"] = Twilio.BaseUrl;
        settings["Twilio:AccountSid"] = FakeTwilio.AccountSid;
        settings["Twilio:AuthToken"] = FakeTwilio.AuthToken;
        settings["Twilio:From"] = FakeTwilio.From;
        settings["Casewire:PublicBaseUrl"] = FakeTwilio.AppBaseUrl;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Twilio is not null) await Twilio.DisposeAsync();
        if (Receiver is not null) await Receiver.DisposeAsync();
    }
}

/// <summary>
/// Signed outbound webhooks (issue 8, README "Webhooks"): events raised with the change that causes
/// them, sent through the outbox to a real local receiver that checks each signature with its own
/// implementation of the Standard Webhooks specification, retried under the same webhook-id, filtered
/// per endpoint, kept within their company, and an endpoint disabled after a day of failures.
/// </summary>
public sealed class WebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    sealed record Endpoint(int Id, string Secret, string Path);

    sealed record Run(int ExitCode, string Out, string Error);

    async Task<Run> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(app.Services, args, stdout, stderr);
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An endpoint registered with the CLI at a fresh path of the receiver, which then verifies what arrives there.</summary>
    async Task<Endpoint> EndpointAsync(CasewireApp.Tenant tenant, string? events = null)
    {
        var path = Receiver.NewPath();
        var args = new List<string> { "webhook", "create", "--company", tenant.Slug, "--url", Receiver.UrlOf(path) };
        if (events is not null) args.AddRange(["--events", events]);
        var run = await CliAsync([.. args]);
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var id = int.Parse(Assert.Single(lines, l => l.StartsWith("id: ", StringComparison.Ordinal))["id: ".Length..]);
        var secret = Assert.Single(lines, l => l.StartsWith("secret: ", StringComparison.Ordinal))["secret: ".Length..];
        Receiver.Trust(path, secret);
        return new Endpoint(id, secret, path);
    }

    /// <summary>A client's text, as Twilio posts it, signed.</summary>
    async Task TextAsync(string from, string to, string body)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = from, ["To"] = to,
            ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1", ["ApiVersion"] = "2010-04-01",
        };
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    Task<List<OutboxItem>> CallsOfAsync(Endpoint endpoint) => app.WithDbAsync(db =>
        db.OutboxItems.AsNoTracking().Where(o => o.WebhookEndpointId == endpoint.Id).OrderBy(o => o.Id).ToListAsync());

    Task<WebhookEndpoint> EndpointRowAsync(Endpoint endpoint) =>
        app.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpoint.Id));

    static void AssertSignedAndAccepted(WebhookReceiver.Received request)
    {
        Assert.True(request.SignatureValid, $"the receiver could not verify {request.Headers.GetValueOrDefault("webhook-signature")}");
        Assert.Equal(200, request.AnsweredWith);
        Assert.Matches("^msg_[0-9a-f]{32}$", request.WebhookId);
        Assert.StartsWith("application/json", request.Headers["content-type"]);
    }

    // ---- the events the issue names, end to end ----

    [Fact]
    public async Task ATwilioStatusCallbackRaisesMessageStatusChangedSignedAsTheStandardSays()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant);
        var accepted = await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { projectId = "p1", text = "Your hearing moved." }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var messageId = (int)accepted["id"]!;
        var deliveryId = (long)accepted["recipients"]![0]!["deliveryId"]!;
        await app.DispatchAsync(); // the text goes to Twilio: "sent"
        var sid = Assert.Single(app.Twilio.MessagesTo(phone)).Sid;
        app.Time.Advance(TimeSpan.FromSeconds(7));

        var callback = await FakeTwilio.PostSignedAsync(app.CreateClient(), $"/webhooks/twilio/status?d={deliveryId}", new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["To"] = phone, ["From"] = FakeTwilio.From,
        });
        Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);
        await app.DispatchAsync();

        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, AssertSignedAndAccepted);
        Assert.All(requests, r => Assert.Equal("message.status_changed", r.Type));
        Assert.NotEqual(requests[0].WebhookId, requests[1].WebhookId); // two events
        var (sent, delivered) = (requests[0].Data, requests[1].Data);
        Assert.Equal(("sent", "queued"), ((string?)sent["status"], (string?)sent["previousStatus"]));
        Assert.Equal(("delivered", "sent"), ((string?)delivered["status"], (string?)delivered["previousStatus"]));
        Assert.Equal(messageId, (int)delivered["messageId"]!);
        Assert.Equal(deliveryId, (long)delivered["deliveryId"]!);
        Assert.Equal("explicit", (string?)delivered["kind"]);
        Assert.Equal("p1", (string?)delivered["projectId"]);
        Assert.Equal("sms", (string?)delivered["channel"]);
        Assert.Equal(phone, (string?)delivered["address"]);
        Assert.Equal("c1", (string?)delivered["contactExternalId"]);
        Assert.Equal(sid, (string?)delivered["providerMessageId"]);
        Assert.Equal(app.Time.GetUtcNow().TruncateToMilliseconds(), (DateTimeOffset)delivered["deliveredAt"]!);
        Assert.Equal(app.Time.GetUtcNow().TruncateToMilliseconds(), (DateTimeOffset)requests[1].Json["timestamp"]!);
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeSeconds(), requests[1].Timestamp);
        Assert.DoesNotContain("Your hearing moved.", requests[1].BodyText); // a status says nothing of the text
    }

    [Fact]
    public async Task AnInboundTextRaisesMessageReceivedWithTheTextAndWhoWroteIt()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant);

        await TextAsync(phone, sender, "Can we move my appointment to Friday? Ça marche +1");
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        AssertSignedAndAccepted(request);
        Assert.Equal("message.received", request.Type);
        var stored = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.CompanyId == tenant.CompanyId && m.FromAddress == phone));
        Assert.Equal(stored.Id, (int)request.Data["messageId"]!);
        Assert.Equal("Can we move my appointment to Friday? Ça marche +1", (string?)request.Data["text"]);
        Assert.Contains("Ça marche +1", request.BodyText); // readable JSON, not \u-escaped
        Assert.Equal(phone, (string?)request.Data["from"]);
        Assert.Equal("c1", (string?)request.Data["contactExternalId"]);
        Assert.Equal("p1", (string?)request.Data["projectId"]);
        Assert.Equal("sms", (string?)request.Data["channel"]);
        Assert.Equal(app.Time.GetUtcNow().TruncateToMilliseconds(), (DateTimeOffset)request.Data["receivedAt"]!);
    }

    [Fact]
    public async Task AReplyInTheClientPortalRaisesMessageReceivedToo()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        var (project, contact) = await app.WithDbAsync(async db => (
            await db.Projects.Where(p => p.CompanyId == tenant.CompanyId && p.ExternalId == "p1").Select(p => p.Id).SingleAsync(),
            await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId && c.ExternalId == "c1").Select(c => c.Id).SingleAsync()));

        await app.ReplyAsync(await app.PortalPathAsync(tenant.CompanyId, project, contact), "Is Friday at 3 still on?");
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        AssertSignedAndAccepted(request);
        var stored = await app.WithDbAsync(db => db.Messages.AsNoTracking()
            .SingleAsync(m => m.CompanyId == tenant.CompanyId && m.Direction == MessageDirection.Inbound));
        Assert.Equal(stored.Id, (int)request.Data["messageId"]!);
        Assert.Equal("portal", (string?)request.Data["channel"]);
        Assert.Null((string?)request.Data["from"]);
        Assert.Equal("c1", (string?)request.Data["contactExternalId"]);
        Assert.Equal("p1", (string?)request.Data["projectId"]);
        Assert.Equal("Is Friday at 3 still on?", (string?)request.Data["text"]);
    }

    [Fact]
    public async Task StopAndStartRaiseOptedOutAndOptedInOnceEach()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "contact.opted_out,contact.opted_in");

        await TextAsync(phone, sender, "stop");
        await TextAsync(phone, sender, "STOP"); // already out: no second event
        await TextAsync(phone, sender, "Start");
        await app.DispatchAsync();

        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal(["contact.opted_out", "contact.opted_in"], requests.OrderBy(r => r.Timestamp).ThenBy(r => r.Type == "contact.opted_in").Select(r => r.Type));
        var optedOut = requests.Single(r => r.Type == "contact.opted_out").Data;
        Assert.Equal(phone, (string?)optedOut["phone"]);
        Assert.Equal("keyword", (string?)optedOut["source"]);
        Assert.Equal("STOP", (string?)optedOut["keyword"]);
        Assert.Equal("c1", (string?)Assert.Single(optedOut["contacts"]!.AsArray())!["externalId"]);
        Assert.Equal("START", (string?)requests.Single(r => r.Type == "contact.opted_in").Data["keyword"]);
    }

    [Fact]
    public async Task ACarrierOptOutRaisesContactOptedOutFromTheCarrier()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "contact.opted_out");
        app.Twilio.RejectNext(phone, 21610, "Attempt to send to unsubscribed recipient");

        await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = "Hello" })).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("carrier", (string?)data["source"]);
        Assert.Null((string?)data["keyword"]);
        Assert.Equal(phone, (string?)data["phone"]);
    }

    [Fact]
    public async Task AReminderRaisesReminderSentWhenItLeaves()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "reminder.sent");
        var start = DateTimeOffset.FromUnixTimeSeconds(app.Time.GetUtcNow().ToUnixTimeSeconds()) + TimeSpan.FromHours(3);
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "ev-1", projectId = "p1", title = "Deposition", attendees = new[] { "c1" }, startTime = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            reminders = new[] { new { unit = "hour", amount = 1 } },
        })).ExpectAsync(HttpStatusCode.Created);

        await app.DispatchAsync();
        Assert.Empty(Receiver.RequestsTo(hook.Path));
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        AssertSignedAndAccepted(request);
        Assert.Equal("reminder.sent", request.Type);
        Assert.Equal("ev-1", (string?)request.Data["eventId"]);
        Assert.Equal("p1", (string?)request.Data["projectId"]);
        Assert.Equal("Deposition", (string?)request.Data["title"]);
        Assert.Equal(start, (DateTimeOffset)request.Data["startTime"]!);
        Assert.Equal("hour", (string?)request.Data["reminder"]!["unit"]);
        Assert.Equal(1, (int)request.Data["reminder"]!["amount"]!);
        Assert.Equal("sms", (string?)request.Data["channel"]);
        Assert.Equal(phone, (string?)request.Data["address"]);
        Assert.Equal("c1", (string?)request.Data["contactExternalId"]);
        Assert.Single(app.Twilio.SendsTo(phone));
    }

    [Fact]
    public async Task AProjectEnteringAnotherPhaseRaisesProjectPhaseChangedButItsCreationDoesNot()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "project.phase_changed");

        await tenant.ProjectAsync("p2", ["c1"], phase: "Intake");
        await tenant.ProjectAsync("p2", ["c1"], phase: "Treatment");
        await tenant.ProjectAsync("p2", ["c1"], phase: "Treatment"); // the same phase again: no change
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("p2", (string?)data["projectId"]);
        Assert.Equal("Case p2", (string?)data["projectName"]);
        Assert.Equal("Personal Injury", (string?)data["projectType"]!["name"]);
        Assert.Equal("Treatment", (string?)data["partnerPhaseName"]);
        Assert.Equal((0, "Intake"), ((int)data["previousPhase"]!["step"]!, (string?)data["previousPhase"]!["name"]));
        Assert.Equal((1, "Treatment"), ((int)data["phase"]!["step"]!, (string?)data["phase"]!["name"]));
    }

    [Fact]
    public async Task MappingAWaitingCmsPhaseNameInTheCompanyAppRaisesProjectPhaseChanged()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync(); // p1 in "Personal Injury", phase Intake
        var hook = await EndpointAsync(tenant, "project.phase_changed");
        var typeId = await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.SingleAsync(t => t.CompanyId == tenant.CompanyId);
            type.IsLocked = true;
            await db.SaveChangesAsync();
            return type.Id;
        });
        await tenant.ProjectAsync("p1", ["c1"], phase: "Negotiation"); // locked: unmapped, p1 stays in Intake
        await app.DispatchAsync();
        Assert.Empty(Receiver.RequestsTo(hook.Path));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var edits = scope.ServiceProvider.GetRequiredService<Casewire.Milestones.CaseTrackerEdits>();
            Assert.True((await edits.AddPhaseAsync(tenant.CompanyId, typeId, "Settlement", CancellationToken.None)).Saved);
            var db = scope.ServiceProvider.GetRequiredService<Casewire.Data.CasewireDb>();
            var unmapped = await db.UnmappedPhaseNames.SingleAsync(u => u.ProjectTypeId == typeId);
            var settlement = await db.Phases.SingleAsync(p => p.ProjectTypeId == typeId && p.Name == "Settlement");
            Assert.True((await edits.MapUnmappedAsync(tenant.CompanyId, unmapped.Id, settlement.Id, CancellationToken.None)).Saved);
        }
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("p1", (string?)data["projectId"]);
        Assert.Equal("Negotiation", (string?)data["partnerPhaseName"]);
        Assert.Equal("Intake", (string?)data["previousPhase"]!["name"]);
        Assert.Equal((1, "Settlement"), ((int)data["phase"]!["step"]!, (string?)data["phase"]!["name"]));
    }

    // ---- signatures ----

    [Fact]
    public async Task ATamperedBodyOrHeaderFailsVerification()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant);
        await TextAsync(phone, sender, "I will bring the documents.");
        await app.DispatchAsync();
        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        var now = app.Time.GetUtcNow();

        Assert.True(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, request.Body, now));
        var tampered = Encoding.UTF8.GetBytes(request.BodyText.Replace("I will bring", "I will not bring", StringComparison.Ordinal));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, tampered, now));
        var oneByte = request.Body.ToArray();
        oneByte[^2] ^= 1;
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, oneByte, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, With(request, "webhook-id", "msg_00000000000000000000000000000000"), request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, With(request, "webhook-timestamp", (request.Timestamp + 1).ToString()), request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(Casewire.Delivery.Webhooks.WebhookSignature.NewSecret(), request.Headers, request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, request.Body, now + TimeSpan.FromMinutes(6))); // a replay, too late
    }

    /// <summary>
    /// Casewire's signer and the test's verifier against vectors computed elsewhere: the reference
    /// libraries' own (standard-webhooks, libraries/csharp WebhookTest.verifyWebhookSignWorks) and the
    /// README's example (computed with Python's hmac), so neither merely agrees with the other.
    /// </summary>
    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, """{"test": 2432232314}""",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "msg_019b93f2c1587a3e9a3b8c1d2e4f6071", 1767711607L,
        """{"type":"message.received","timestamp":"2026-01-06T15:00:07+00:00","data":{"messageId":12,"projectId":"matter-1","channel":"sms","from":"+15551234567","contactExternalId":"123-3123-123","authorName":"John Doe","text":"Can we move the meeting to Friday?","receivedAt":"2026-01-06T15:00:07+00:00"}}""",
        "v1,WTfq7COg/pWaPph90CeKqvPZsqeVg3UThjvTz9zwjVw=")]
    public void SignaturesMatchVectorsComputedElsewhere(string secret, string id, long timestamp, string body, string signature)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.Equal(signature, Casewire.Delivery.Webhooks.WebhookSignature.Sign(secret, id, timestamp, bytes));
        var headers = new Dictionary<string, string> { ["webhook-id"] = id, ["webhook-timestamp"] = timestamp.ToString(), ["webhook-signature"] = signature };
        Assert.True(StandardWebhooksVerifier.Verify(secret, headers, bytes, DateTimeOffset.FromUnixTimeSeconds(timestamp)));
    }

    static Dictionary<string, string> With(WebhookReceiver.Received request, string header, string value) =>
        new(request.Headers) { [header] = value };

    // ---- retries ----

    [Fact]
    public async Task AReceiverThatFailsThreeTimesGetsTheEventAFourthTimeWithTheSameWebhookId()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant);
        Receiver.FailNext(hook.Path, 3);

        await TextAsync(phone, sender, "Hello?");
        await app.DispatchAsync();
        for (var retry = 0; retry < 3; retry++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(1)); // past each backoff (5 s, 10 s, 20 s at most)
            await app.DispatchAsync();
        }
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync(); // nothing more to send

        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal([500, 500, 500, 200], requests.Select(r => r.AnsweredWith));
        Assert.Single(requests.Select(r => r.WebhookId).Distinct());
        Assert.Single(requests.Select(r => r.BodyText).Distinct());
        Assert.All(requests, r => Assert.True(r.SignatureValid));
        Assert.Equal(requests.Select(r => r.Timestamp).Order(), requests.Select(r => r.Timestamp)); // each attempt signed at its own time
        Assert.True(requests[3].Timestamp > requests[0].Timestamp);

        var call = Assert.Single(await CallsOfAsync(hook));
        Assert.Equal(DeliveryStatus.Sent, call.Status);
        Assert.Equal(requests[0].WebhookId, call.WebhookId);
        var attempts = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == call.Id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.Sent],
            attempts.Select(a => a.Outcome!.Value));
        Assert.All(attempts.Take(3), a => Assert.Equal("http-500", a.ErrorCode));
        var endpoint = await EndpointRowAsync(hook);
        Assert.Equal(0, endpoint.ConsecutiveFailures); // the success ended the run
        Assert.Null(endpoint.FailingSince);
    }

    [Fact]
    public async Task ASuccessReleasesTheCallsThatWaitedBehindAFailingEndpoint()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1);

        await TextAsync(phone, sender, "first");
        await app.DispatchAsync(); // fails: the endpoint is now failing, "first" retries in a few seconds
        await TextAsync(phone, sender, "second");
        await app.DispatchAsync(); // "second" probes the endpoint, succeeds, and "first" need wait no longer

        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal([("first", 500), ("second", 200), ("first", 200)],
            requests.Select(r => ((string)r.Data["text"]!, r.AnsweredWith)));
        Assert.Equal(requests[0].WebhookId, requests[2].WebhookId);
    }

    [Fact]
    public async Task AnEndpointThatDoesNotAnswerInTimeIsRetried()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        Receiver.Script(hook.Path, new WebhookReceiver.Answer(HttpStatusCode.OK, Hang: true));
        await TextAsync(phone, sender, "Are you there?");

        var dispatch = app.DispatchAsync();
        await Receiver.WaitForAsync(hook.Path, 1);
        app.Time.Advance(TimeSpan.FromSeconds(11)); // past Webhooks:Timeout (10 s)
        await dispatch.WaitAsync(TimeSpan.FromSeconds(30));

        var call = Assert.Single(await CallsOfAsync(hook));
        Assert.Equal(DeliveryStatus.Pending, call.Status);
        Assert.Equal("timeout", call.ErrorCode);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DispatchAsync();
        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].WebhookId, requests[1].WebhookId);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await CallsOfAsync(hook)).Status);
    }

    // ---- filters and tenancy ----

    [Fact]
    public async Task AnEndpointReceivesOnlyTheEventTypesOfItsFilter()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var all = await EndpointAsync(tenant);
        var repliesOnly = await EndpointAsync(tenant, "message.received");

        await TextAsync(phone, sender, "STOP"); // a reply, and an opt-out
        await app.DispatchAsync();

        Assert.Equal(["contact.opted_out", "message.received"], Receiver.RequestsTo(all.Path).Select(r => r.Type).Order(StringComparer.Ordinal));
        var reply = Assert.Single(Receiver.RequestsTo(repliesOnly.Path));
        Assert.Equal("message.received", reply.Type);
        // One event, one webhook-id, whichever endpoint it reaches.
        Assert.Equal(Receiver.RequestsTo(all.Path).Single(r => r.Type == "message.received").WebhookId, reply.WebhookId);
    }

    [Fact]
    public async Task ACompanysEventsNeverReachAnotherCompanysEndpoint()
    {
        var (firmA, senderA, phoneA) = await app.ClientOnProjectAsync();
        var (firmB, _, _) = await app.ClientOnProjectAsync(); // the same external ids c1 and p1
        var hookA = await EndpointAsync(firmA);
        var hookB = await EndpointAsync(firmB);

        await TextAsync(phoneA, senderA, "STOP");
        await (await firmA.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = PartnerSetup.UniqueNumber(), text = "Hi" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await firmA.ProjectAsync("p1", ["c1"], phase: "Discovery");
        await app.DispatchAsync();

        Assert.Equal(4, Receiver.RequestsTo(hookA.Path).Count); // received, opted out, status changed, phase changed
        Assert.Empty(Receiver.RequestsTo(hookB.Path));
        Assert.Empty(await CallsOfAsync(hookB));
        // Nor can company B's admin touch company A's endpoint.
        var delete = await CliAsync("webhook", "delete", "--company", firmB.Slug, "--id", hookA.Id.ToString());
        Assert.Equal(1, delete.ExitCode);
        Assert.Contains($"has no webhook endpoint {hookA.Id}", delete.Error);
        Assert.DoesNotContain(hookA.Path, (await CliAsync("webhook", "list", "--company", firmB.Slug)).Out);
        Assert.Equal(1, (await CliAsync("webhook", "secret", "--company", firmB.Slug, "--id", hookA.Id.ToString())).ExitCode);
    }

    // ---- disabling ----

    [Fact]
    public async Task AnEndpointFailingForADayIsDisabledWithItsReasonListedAndItsPendingCallsCanceled()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1000, HttpStatusCode.ServiceUnavailable);
        var start = app.Time.GetUtcNow();

        await TextAsync(phone, sender, "first");
        await app.DispatchAsync();
        for (var hour = 1; hour <= 23; hour++)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            if (hour == 12) await TextAsync(phone, sender, "second"); // waits behind the failing endpoint's probe
            await app.DispatchAsync();
            Assert.Equal(hour + 1, Receiver.RequestsTo(hook.Path).Count); // one call an hour, never a flood
        }
        var listed = (await CliAsync("webhook", "list", "--company", tenant.Slug)).Out;
        Assert.Contains("failing", listed);
        Assert.Null((await EndpointRowAsync(hook)).DisabledAt);

        app.Time.Advance(TimeSpan.FromHours(1)); // a whole day of failures
        await app.DispatchAsync();

        var endpoint = await EndpointRowAsync(hook);
        Assert.Equal(app.Time.GetUtcNow(), endpoint.DisabledAt);
        Assert.Equal(25, endpoint.ConsecutiveFailures);
        Assert.Equal(start, endpoint.FailingSince);
        Assert.StartsWith($"Every call failed for 24 hours since {start:yyyy-MM-dd HH:mm}Z (25 attempts in a row). Last error: HTTP 503", endpoint.DisabledReason);
        var list = await CliAsync("webhook", "list", "--company", tenant.Slug);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches($@"(?m)^{hook.Id}\s+disabled\s", list.Out);
        Assert.Contains(endpoint.DisabledReason!, list.Out);
        var calls = await CallsOfAsync(hook);
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Canceled], calls.Select(c => c.Status)); // "first" gave up, "second" canceled
        Assert.Equal("endpoint-disabled", calls[1].ErrorCode);

        await TextAsync(phone, sender, "third");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();
        Assert.Equal(25, Receiver.RequestsTo(hook.Path).Count); // nothing for a disabled endpoint
        Assert.Equal(2, (await CallsOfAsync(hook)).Count);

        Receiver.Heal(hook.Path);
        var enable = await CliAsync("webhook", "enable", "--company", tenant.Slug, "--id", hook.Id.ToString());
        Assert.Equal($"enabled endpoint {hook.Id}", enable.Out.Trim());
        await TextAsync(phone, sender, "fourth");
        await app.DispatchAsync();
        Assert.Equal("fourth", (string?)Receiver.RequestsTo(hook.Path)[^1].Data["text"]);
        Assert.Matches($@"(?m)^{hook.Id}\s+enabled\s", (await CliAsync("webhook", "list", "--company", tenant.Slug)).Out);
    }

    [Fact]
    public async Task A410GoneDisablesTheEndpointAtOnce()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1, HttpStatusCode.Gone);

        await TextAsync(phone, sender, "hello");
        await app.DispatchAsync();
        await TextAsync(phone, sender, "again");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        Assert.Single(Receiver.RequestsTo(hook.Path));
        var call = Assert.Single(await CallsOfAsync(hook));
        Assert.Equal((DeliveryStatus.Failed, "http-410"), (call.Status, call.ErrorCode));
        var endpoint = await EndpointRowAsync(hook);
        Assert.NotNull(endpoint.DisabledAt);
        Assert.Contains("410 Gone", endpoint.DisabledReason);
    }

    [Fact]
    public async Task TheCompanyAppsDeliveryLogAndDashboardCountTextsNotWebhookCalls()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var ok = await EndpointAsync(tenant, "message.status_changed");
        var failing = await EndpointAsync(tenant, "message.status_changed");
        Receiver.FailNext(failing.Path, 1000, HttpStatusCode.BadGateway);
        await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = "Hello" })).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();
        Assert.Single(Receiver.RequestsTo(ok.Path));
        Assert.Single(Receiver.RequestsTo(failing.Path)); // one call sent, one waiting to retry

        var (log, dashboard) = await app.WithDbAsync(async db => (
            await Casewire.CompanyApp.DeliveryLog.ReadAsync(db, tenant.CompanyId, new(null, null, null, null, null, null),
                Casewire.CompanyApp.DeliveryLog.Cursor.Start, app.Time.GetUtcNow(), CancellationToken.None),
            await Casewire.CompanyApp.Dashboard.ReadAsync(db, tenant.CompanyId, Casewire.CompanyApp.CompanyTime.Of("America/New_York"),
                app.Time.GetUtcNow(), CancellationToken.None)));

        var row = Assert.Single(log.Rows); // the text; not the two webhook calls
        Assert.Equal(phone, row.Counterpart);
        Assert.Equal(0, dashboard.Queued + dashboard.Scheduled);
        Assert.Equal(1, dashboard.Chart.Days.Sum(d => d.Sent + d.Delivered));
        Assert.Equal(2, (await CallsOfAsync(ok)).Count + (await CallsOfAsync(failing)).Count);
    }

    // ---- the command line ----

    [Fact]
    public async Task WebhookCreateListSecretAndDeleteThroughTheCli()
    {
        var tenant = await app.NewTenantAsync();
        var url = Receiver.UrlOf(Receiver.NewPath());

        var create = await CliAsync("webhook", "create", "--company", tenant.Slug, "--url", url,
            "--events", "message.received, contact.opted_out", "--description", "Clio sync");
        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Equal("", create.Error);
        var lines = create.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        var id = int.Parse(lines[0]["id: ".Length..]);
        var secret = lines[1]["secret: ".Length..];
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var list = await CliAsync("webhook", "list", "--company", tenant.Slug);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches($@"(?m)^{id}\s+enabled\s+{app.Time.GetUtcNow():yyyy-MM-dd HH:mm}Z\s+message\.received,contact\.opted_out\s+{System.Text.RegularExpressions.Regex.Escape(url)}  \(Clio sync\)", list.Out);
        Assert.DoesNotContain(secret, list.Out);
        Assert.Equal(secret, (await CliAsync("webhook", "secret", "--company", tenant.Slug, "--id", id.ToString())).Out.Trim());

        var delete = await CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", id.ToString());
        Assert.Equal((0, $"deleted endpoint {id}"), (delete.ExitCode, delete.Out.Trim()));
        Assert.DoesNotContain(url, (await CliAsync("webhook", "list", "--company", tenant.Slug)).Out);
        var again = await CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", id.ToString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"has no webhook endpoint {id}", again.Error);
    }

    [Fact]
    public async Task DeletingAnEndpointCancelsItsPendingCallsAndKeepsItsLog()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await EndpointAsync(tenant, "message.received");
        await TextAsync(phone, sender, "sent before the delete");
        await app.DispatchAsync();
        await TextAsync(phone, sender, "still waiting");

        var log = await CliAsync("webhook", "log", "--company", tenant.Slug, "--id", hook.Id.ToString());
        Assert.Equal(0, log.ExitCode);
        Assert.Contains("message.received", log.Out);
        Assert.Matches(@"#1 \S+ \S+ sent", log.Out);
        var delete = await CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", hook.Id.ToString());
        Assert.Equal($"deleted endpoint {hook.Id} (1 pending calls canceled)", delete.Out.Trim());
        await app.DispatchAsync();

        Assert.Single(Receiver.RequestsTo(hook.Path));
        var calls = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking()
            .Where(o => o.CompanyId == tenant.CompanyId && o.Channel == Channel.Webhook).OrderBy(o => o.Id).ToListAsync());
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Canceled], calls.Select(c => c.Status));
        Assert.All(calls, c => Assert.Null(c.WebhookEndpointId)); // detached, still in the delivery log
    }

    [Theory]
    [InlineData("ftp://cms.example/hooks", "--url")]
    [InlineData("cms.example/hooks", "--url")]
    [InlineData("https://user:pass@cms.example/hooks", "--url")]
    [InlineData("", "--url")]
    public async Task WebhookCreateRefusesABadUrl(string url, string named)
    {
        var tenant = await app.NewTenantAsync();
        var run = await CliAsync("webhook", "create", "--company", tenant.Slug, "--url", url);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains(named, run.Error);
        Assert.Empty(await app.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.CompanyId == tenant.CompanyId).ToListAsync()));
    }

    [Fact]
    public async Task WebhookCreateRefusesUnknownEventsAndCompanies()
    {
        var tenant = await app.NewTenantAsync();

        var events = await CliAsync("webhook", "create", "--company", tenant.Slug, "--url", "https://cms.example/hooks", "--events", "message.received,message.sent");
        Assert.Equal(1, events.ExitCode);
        Assert.Contains("'message.sent' is not an event type", events.Error);
        Assert.Contains("message.status_changed, message.received, contact.opted_out, contact.opted_in, reminder.sent, project.phase_changed", events.Error);
        var company = await CliAsync("webhook", "create", "--company", "no-such-firm", "--url", "https://cms.example/hooks");
        Assert.Equal(1, company.ExitCode);
        Assert.Contains("no company with slug 'no-such-firm'", company.Error);
        var missing = await CliAsync("webhook", "create", "--company", tenant.Slug);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--url", missing.Error);
    }
}
