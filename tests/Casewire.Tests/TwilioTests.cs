using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>The app with <c>Sms:Provider=Twilio</c> pointed at a <see cref="FakeTwilio"/> (SPEC §7, §9).</summary>
public sealed class TwilioApp : CasewireApp
{
    public const string PublicBaseUrl = FakeTwilio.AppBaseUrl;

    public FakeTwilio Twilio { get; private set; } = null!;

    protected override async Task BeforeStartAsync() => Twilio = await FakeTwilio.StartAsync(Time);

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Sms:Provider"] = "Twilio";
        settings["Twilio:BaseUrl"] = Twilio.BaseUrl;
        settings["Twilio:AccountSid"] = FakeTwilio.AccountSid;
        settings["Twilio:AuthToken"] = FakeTwilio.AuthToken;
        settings["Twilio:From"] = FakeTwilio.From;
        settings["Twilio:MessagesPerSecond"] = "1";
        settings["Casewire:PublicBaseUrl"] = PublicBaseUrl;
    }

    /// <summary>POST send-message, expecting 202.</summary>
    public async Task<JsonObject> SendAsync(Tenant tenant, object body) =>
        await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", body)).ExpectAsync(HttpStatusCode.Accepted);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Twilio is not null) await Twilio.DisposeAsync();
    }
}

/// <summary>
/// SPEC §7, §9: texts leave through the real Twilio provider (HTTP to a local fake Twilio), are
/// classified, retried, rate-shaped and reconciled, and Twilio's signed status callbacks move them on.
/// </summary>
public sealed class TwilioTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    FakeTwilio Twilio => app.Twilio;

    /// <summary>Sends a text to project p1; returns the message id and its one delivery id.</summary>
    async Task<(int MessageId, long DeliveryId)> SendToProjectAsync(CasewireApp.Tenant tenant, string text = "Your hearing is on Tuesday at 10am.")
    {
        var accepted = await app.SendAsync(tenant, new { projectId = "p1", text });
        var recipient = Assert.Single(accepted["recipients"]!.AsArray())!;
        return ((int)accepted["id"]!, (long)recipient["deliveryId"]!);
    }

    static async Task<JsonNode> RecipientAsync(CasewireApp.Tenant tenant, int messageId)
    {
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(message["recipients"]!.AsArray())!;
    }

    Task<OutboxItem> DeliveryAsync(long id) => app.WithDbAsync(db => db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == id));

    Task<List<DeliveryAttempt>> AttemptsAsync(long id) =>
        app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ToListAsync());

    [Fact]
    public async Task ATextIsPostedToTwilioWithBasicAuthAndRecordedAsSentWithItsSid()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();

        var (messageId, deliveryId) = await SendToProjectAsync(tenant, "Your hearing is on Tuesday at 10am.");
        await app.DispatchAsync();

        var post = Assert.Single(Twilio.SendsTo(phone));
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", post.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")), post.Authorization);
        Assert.Equal(sender, post.Form["From"]);
        Assert.Equal("Your hearing is on Tuesday at 10am.", post.Form["Body"]);
        Assert.Equal($"http://localhost/webhooks/twilio/status?d={deliveryId}", post.Form["StatusCallback"]);
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(Assert.Single(Twilio.MessagesTo(phone)).Sid, (string?)recipient["providerMessageId"]);
        Assert.Equal("sent", (string?)Assert.Single(recipient["attempts"]!.AsArray())!["outcome"]);
    }

    [Fact]
    public async Task ACompanyWithoutItsOwnNumberTextsFromTwilioFrom()
    {
        var tenant = await app.NewTenantAsync();
        var phone = PartnerSetup.UniqueNumber();

        await app.SendAsync(tenant, new { phoneNumber = phone, text = "Please call the office." });
        await app.DispatchAsync();

        Assert.Equal(FakeTwilio.From, Assert.Single(Twilio.SendsTo(phone)).Form["From"]);
    }

    [Fact]
    public async Task A500IsRetriedAfterTheBackoffAndTheTextIsSentOnce()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.FailNextWith500(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await app.DispatchAsync();

        var retrying = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, retrying.Status);
        Assert.Equal("queued", (string?)(await RecipientAsync(tenant, messageId))["status"]);
        Assert.Equal(AttemptOutcome.TransientFailure, Assert.Single(await AttemptsAsync(deliveryId)).Outcome);
        Assert.InRange(retrying.AvailableAt - app.Time.GetUtcNow(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        app.Time.Advance(TimeSpan.FromSeconds(10));
        await app.DispatchAsync();

        Assert.Equal(2, Twilio.SendsTo(phone).Count);
        var sent = Assert.Single(Twilio.MessagesTo(phone)); // one text reached the client
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(sent.Sid, (string?)recipient["providerMessageId"]);
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.Sent], (await AttemptsAsync(deliveryId)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheBackoffIsHonoured()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.RateLimitNext(phone, TimeSpan.FromSeconds(60));
        var (_, deliveryId) = await SendToProjectAsync(tenant);
        var start = app.Time.GetUtcNow();

        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromSeconds(59));
        await app.DispatchAsync();
        var sendsBefore = Twilio.SendsTo(phone).Count;
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.DispatchAsync();

        Assert.True((await DeliveryAsync(deliveryId)).AvailableAt >= start + TimeSpan.FromSeconds(60));
        Assert.Equal(1, sendsBefore);
        Assert.Equal(2, Twilio.SendsTo(phone).Count);
    }

    [Fact]
    public async Task A429IsTransientAndRetriedOnlyAfterTheBackoff()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.RateLimitNext(phone, TimeSpan.FromSeconds(3));
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        var start = app.Time.GetUtcNow();

        await app.DispatchAsync();

        var retrying = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, retrying.Status);
        Assert.Equal("20429", retrying.ErrorCode);
        Assert.True(retrying.AvailableAt >= start + TimeSpan.FromSeconds(2), $"retry at {retrying.AvailableAt:O}, only {retrying.AvailableAt - start} after the 429");
        var attempt = Assert.Single(await AttemptsAsync(deliveryId));
        Assert.Equal(AttemptOutcome.TransientFailure, attempt.Outcome);
        Assert.Equal("20429", attempt.ErrorCode);

        app.Time.Advance(retrying.AvailableAt - start - TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();
        Assert.Single(Twilio.SendsTo(phone)); // not before its time

        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();
        Assert.Equal(2, Twilio.SendsTo(phone).Count);
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
    }

    [Fact]
    public async Task ATwilioCallThatHangsTimesOutAndIsRetriedLikeAnyTransientFailure()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.HangNext(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        var reached = Twilio.WhenSendReaches(phone);

        var dispatch = app.DispatchAsync();
        await reached.WaitAsync(TimeSpan.FromSeconds(30));
        app.Time.Advance(TimeSpan.FromSeconds(11)); // past Twilio:RequestTimeout (10 s)
        await dispatch.WaitAsync(TimeSpan.FromSeconds(30));

        var retrying = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, retrying.Status);
        Assert.Equal("timeout", retrying.ErrorCode);
        app.Time.Advance(TimeSpan.FromSeconds(10));
        await app.DispatchAsync();
        Assert.Equal(2, Twilio.SendsTo(phone).Count);
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
    }

    [Fact]
    public async Task APermanentTwilioErrorFailsAtOnceWithItsCodeAndIsNeverRetried()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.RejectNext(phone, 21211, $"The 'To' number {phone} is not a valid phone number.");
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromDays(1));
        await app.DispatchAsync();

        Assert.Single(Twilio.SendsTo(phone));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)recipient["status"]);
        Assert.Equal("21211", (string?)recipient["errorCode"]);
        Assert.Contains("is not a valid phone number", (string?)recipient["errorMessage"]);
        Assert.Equal(AttemptOutcome.PermanentFailure, Assert.Single(await AttemptsAsync(deliveryId)).Outcome);
    }

    [Fact]
    public async Task A21610FromTwilioOptsTheNumberOutSoTheNextPhoneOnlySendIs422()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.RejectNext(phone, 21610, "Attempt to send to unsubscribed recipient");
        await SendToProjectAsync(tenant);

        await app.DispatchAsync();

        Assert.True(await app.WithDbAsync(db => db.OptOuts.AnyAsync(o => o.CompanyId == tenant.CompanyId && o.Phone == phone && o.Active)));
        var problem = await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = "Hello again" }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("opted-out", (string?)problem["recipients"]![0]!["reason"]);
    }

    [Fact]
    public async Task ASignedDeliveredCallbackMarksTheTextDeliveredAndALateSentDoesNotUndoIt()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var (messageId, _) = await SendToProjectAsync(tenant);
        await app.DispatchAsync();
        var post = Assert.Single(Twilio.SendsTo(phone));
        var sid = Assert.Single(Twilio.MessagesTo(phone)).Sid;
        var callbackPath = post.Form["StatusCallback"][TwilioApp.PublicBaseUrl.Length..];
        app.Time.Advance(TimeSpan.FromSeconds(4));

        var delivered = await FakeTwilio.PostSignedAsync(app.CreateClient(), callbackPath, Callback(sid, phone, "delivered"));
        var lateSent = await FakeTwilio.PostSignedAsync(app.CreateClient(), callbackPath, Callback(sid, phone, "sent"));

        Assert.Equal(HttpStatusCode.NoContent, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, lateSent.StatusCode);
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("delivered", (string?)recipient["status"]);
        Assert.Equal(app.Time.GetUtcNow().TruncateToMilliseconds(), (DateTimeOffset)recipient["deliveredAt"]!);
    }

    [Fact]
    public async Task AnUndeliveredCallbackFailsTheTextWithTheCarriersCode()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await app.DispatchAsync();
        var sid = Assert.Single(Twilio.MessagesTo(phone)).Sid;

        var form = Callback(sid, phone, "undelivered");
        form["ErrorCode"] = "30006";
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), $"/webhooks/twilio/status?d={deliveryId}", form);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)recipient["status"]);
        Assert.Equal("30006", (string?)recipient["errorCode"]);
        Assert.Equal("landline or unreachable carrier", (string?)recipient["errorMessage"]);
    }

    [Fact]
    public async Task ACallbackWithABadOrMissingSignatureIs403AndChangesNothing()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await app.DispatchAsync();
        var sid = Assert.Single(Twilio.MessagesTo(phone)).Sid;
        var path = $"/webhooks/twilio/status?d={deliveryId}";
        var form = Callback(sid, phone, "delivered");

        var forged = await FakeTwilio.PostSignedAsync(app.CreateClient(), path, form,
            FakeTwilio.Sign(TwilioApp.PublicBaseUrl + path, form, authToken: "not-the-auth-token"));
        var otherUrl = await FakeTwilio.PostSignedAsync(app.CreateClient(), path, form,
            FakeTwilio.Sign(TwilioApp.PublicBaseUrl + $"/webhooks/twilio/status?d={deliveryId + 1}", form)); // never this delivery's own URL
        var unsigned = await FakeTwilio.PostSignedAsync(app.CreateClient(), path, form, sign: false);

        await forged.ProblemAsync(HttpStatusCode.Forbidden);
        await otherUrl.ProblemAsync(HttpStatusCode.Forbidden);
        await unsigned.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
    }

    [Fact]
    public async Task ACallbackForAnUnknownMessageIsAcknowledged()
    {
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/status",
            Callback("SM00000000000000000000000000000000", "+14155550000", "delivered"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task TextsFromOneNumberNeverExceedItsMessagesPerSecond()
    {
        var (tenant, sender) = await app.NewSendingTenantAsync();
        var phones = new[] { PartnerSetup.UniqueNumber(), PartnerSetup.UniqueNumber(), PartnerSetup.UniqueNumber() };
        for (var i = 0; i < phones.Length; i++) await tenant.ContactAsync($"c{i}", phones[i]);
        await tenant.ProjectAsync("p1", ["c0", "c1", "c2"], name: PartnerSetup.CaseName);
        var start = app.Time.GetUtcNow();
        var accepted = await app.SendAsync(tenant, new { projectId = "p1", text = "The court moved your hearing to Friday." });
        var ids = accepted["recipients"]!.AsArray().Select(r => (long)r!["deliveryId"]!).ToList();

        await app.DispatchAsync();

        Assert.Single(SendsFrom(sender));
        var waiting = (await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id) && o.Status == DeliveryStatus.Pending)
            .ToListAsync())).Select(o => o.AvailableAt - start).Order().ToList();
        Assert.Equal(2, waiting.Count);
        Assert.InRange(waiting[0], TimeSpan.FromMilliseconds(950), TimeSpan.FromMilliseconds(1050));
        Assert.InRange(waiting[1], TimeSpan.FromMilliseconds(1950), TimeSpan.FromMilliseconds(2050));

        for (var second = 1; second <= 2; second++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            await app.DispatchAsync();
            Assert.Equal(1 + second, SendsFrom(sender).Count);
        }

        Assert.Equal(phones.Order(), SendsFrom(sender).Select(r => r.To!).Order());
        Assert.All(SendsFrom(sender).GroupBy(r => (r.At - start).TotalSeconds < 1 ? 0 : (int)(r.At - start).TotalSeconds), second => Assert.Single(second));
        Assert.All(await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync()),
            o => Assert.Equal(DeliveryStatus.Sent, o.Status));
    }

    [Fact]
    public async Task AnInterruptedSendThatReachedTwilioIsRecordedAsSentWithoutASecondPost()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant, "Bring your ID on Monday.");
        await CrashMidSendAsync(deliveryId);
        var attemptDay = app.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd"); // the shared clock has moved on in other tests
        var reached = Twilio.Seed(phone, sender, "Bring your ID on Monday.", app.Time.GetUtcNow() + TimeSpan.FromSeconds(1));

        app.Time.Advance(TimeSpan.FromSeconds(31)); // the dead dispatcher's lease runs out
        await app.DispatchAsync();

        Assert.Empty(Twilio.SendsTo(phone));
        var asked = Assert.Single(Twilio.ListsFor(phone));
        Assert.Equal(sender, asked.Query["From"]);
        // SPEC §10: no DateSent filter (a text still queued at Twilio has no date_sent); the attempt's day is not a filter either.
        Assert.False(asked.Query.ContainsKey("DateSent>="), $"asked with DateSent>={attemptDay}");
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(reached.Sid, (string?)recipient["providerMessageId"]);
        Assert.Equal(AttemptOutcome.Reconciled, Assert.Single(await AttemptsAsync(deliveryId)).Outcome);
    }

    [Fact]
    public async Task AnInterruptedSendThatNeverReachedTwilioIsSentOnce()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant, "Bring your ID on Monday.");
        await CrashMidSendAsync(deliveryId);
        // The same words sent to the same number earlier that day are another text, not this one.
        Twilio.Seed(phone, sender, "Bring your ID on Monday.", app.Time.GetUtcNow() - TimeSpan.FromMinutes(5));

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.DispatchAsync();

        Assert.Single(Twilio.ListsFor(phone));
        Assert.Single(Twilio.SendsTo(phone));
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.Sent], (await AttemptsAsync(deliveryId)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task ADeliveredCallbackThatOvertakesTheSendRecordIsKeptAndNothingIsResent()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant, "Your settlement check has arrived.");
        await CrashMidSendAsync(deliveryId); // Twilio has the text; we never recorded its sid
        var reached = Twilio.Seed(phone, sender, "Your settlement check has arrived.", app.Time.GetUtcNow());

        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), $"/webhooks/twilio/status?d={deliveryId}",
            Callback(reached.Sid, phone, "delivered"));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DispatchAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(Twilio.SendsTo(phone));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("delivered", (string?)recipient["status"]);
        Assert.Equal(reached.Sid, (string?)recipient["providerMessageId"]);
    }

    [Fact]
    public async Task IncompleteTwilioSettingsStopTheAppAtStartNamingEachKey()
    {
        await using var misconfigured = new MisconfiguredTwilioApp();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(async () => await misconfigured.InitializeAsync());

        var failure = Unwrap(thrown).OfType<Microsoft.Extensions.Options.OptionsValidationException>().First();
        Assert.Contains(failure.Failures, f => f.Contains("Twilio:AccountSid"));
        Assert.Contains(failure.Failures, f => f.Contains("Twilio:ApiKeySid and Twilio:ApiKeySecret go together"));
        Assert.Contains(failure.Failures, f => f.Contains("Twilio:From") && f.Contains("Twilio:MessagingServiceSid"));
    }

    static IEnumerable<Exception> Unwrap(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Unwrap)) yield return inner;
        }
    }

    sealed class MisconfiguredTwilioApp : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Sms:Provider"] = "Twilio";
            settings["Twilio:ApiKeySid"] = "SK0123456789abcdef0123456789abcdef";
        }
    }

    /// <summary>The state a dispatcher leaves when it dies after recording its attempt but before recording the outcome.</summary>
    Task CrashMidSendAsync(long deliveryId) => app.WithDbAsync(async db =>
    {
        var now = app.Time.GetUtcNow();
        var item = await db.OutboxItems.SingleAsync(o => o.Id == deliveryId);
        item.Status = DeliveryStatus.Sending;
        item.LeaseOwner = "crashed-instance";
        item.LeaseExpiresAt = now + TimeSpan.FromSeconds(30);
        item.Attempts = 1;
        db.DeliveryAttempts.Add(new DeliveryAttempt { OutboxItemId = deliveryId, Number = 1, Instance = "crashed-instance", StartedAt = now });
        await db.SaveChangesAsync();
    });

    List<FakeTwilio.Request> SendsFrom(string sender) => Twilio.Requests.Where(r => r.IsSend && r.Form.GetValueOrDefault("From") == sender).ToList();

    static Dictionary<string, string> Callback(string sid, string to, string status) => new()
    {
        ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = status, ["SmsStatus"] = status,
        ["To"] = to, ["From"] = FakeTwilio.From, ["ApiVersion"] = "2010-04-01",
    };
}
