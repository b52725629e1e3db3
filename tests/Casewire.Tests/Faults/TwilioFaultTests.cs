using System.Net;
using System.Text.Json.Nodes;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Faults;

/// <summary>
/// SPEC §10: one text per recipient when Twilio misbehaves. The real Twilio provider against a
/// <see cref="FakeTwilio"/> that accepts a text and then loses its answer (a timeout, a reset, a 502),
/// pushes back with a long <c>Retry-After</c>, or cannot be asked. Each test counts what the fake
/// accepted: never more than one text per Casewire message.
/// </summary>
public sealed class TwilioFaultTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    const string Text = "Your deposition is on Thursday at 9am.";

    FakeTwilio Twilio => app.Twilio;

    async Task<(int MessageId, long DeliveryId)> SendToProjectAsync(CasewireApp.Tenant tenant)
    {
        var accepted = await app.SendAsync(tenant, new { projectId = "p1", text = Text });
        var recipient = Assert.Single(accepted["recipients"]!.AsArray())!;
        return ((int)accepted["id"]!, (long)recipient["deliveryId"]!);
    }

    async Task<JsonNode> RecipientAsync(CasewireApp.Tenant tenant, int messageId)
    {
        var message = await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(message["recipients"]!.AsArray())!;
    }

    Task<OutboxItem> DeliveryAsync(long id) => app.WithDbAsync(db => db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == id));

    async Task<List<AttemptOutcome?>> OutcomesAsync(long id) => await app.WithDbAsync(db =>
        db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ThenBy(a => a.Id).Select(a => a.Outcome).ToListAsync());

    /// <summary>A dispatch whose Twilio call hangs: the fake clock runs past <c>Twilio:RequestTimeout</c> (10 s) once the request has arrived.</summary>
    async Task DispatchPastTheTimeoutAsync(string phone)
    {
        var reached = Twilio.WhenSendReaches(phone);
        var dispatch = app.DispatchAsync();
        await reached.WaitAsync(TimeSpan.FromSeconds(30));
        app.Time.Advance(TimeSpan.FromSeconds(11));
        await dispatch.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>After an ambiguous first attempt: the retry asks Twilio, finds the text and never posts it again.</summary>
    async Task AssertFoundBeforeAnyResendAsync(CasewireApp.Tenant tenant, string sender, string phone, int messageId, long deliveryId)
    {
        var waiting = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.Equal([AttemptOutcome.Ambiguous], await OutcomesAsync(deliveryId));
        Assert.Empty(Twilio.ListsFor(phone)); // asked only when it is due again

        app.Time.Advance(waiting.AvailableAt - app.Time.GetUtcNow());
        await app.DispatchAsync();

        var stored = Assert.Single(Twilio.MessagesTo(phone));
        Assert.Single(Twilio.SendsTo(phone));
        var asked = Assert.Single(Twilio.ListsFor(phone));
        Assert.Equal(sender, asked.Query["From"]);
        Assert.DoesNotContain(asked.Query.Keys, k => k.StartsWith("DateSent", StringComparison.Ordinal));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(stored.Sid, (string?)recipient["providerMessageId"]);
        Assert.Equal([AttemptOutcome.Ambiguous, AttemptOutcome.Reconciled], await OutcomesAsync(deliveryId));
    }

    [Fact]
    public async Task AReplyLostAfterTwilioAcceptedTheTextIsFoundByAskingAndNeverSentTwice()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        Twilio.AcceptThenHangNext(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await DispatchPastTheTimeoutAsync(phone);

        Assert.Equal("timeout", (await DeliveryAsync(deliveryId)).ErrorCode);
        await AssertFoundBeforeAnyResendAsync(tenant, sender, phone, messageId, deliveryId);
    }

    [Fact]
    public async Task AConnectionResetAfterTwilioReadTheBodyIsFoundByAskingAndNeverSentTwice()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        Twilio.AcceptThenResetNext(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await app.DispatchAsync();

        await AssertFoundBeforeAnyResendAsync(tenant, sender, phone, messageId, deliveryId);
    }

    [Fact]
    public async Task A502AfterTwilioAcceptedTheTextIsFoundByAskingAndNeverSentTwice()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        Twilio.BadGatewayNext(phone, accepted: true);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await app.DispatchAsync();

        Assert.Equal("http-502", (await DeliveryAsync(deliveryId)).ErrorCode);
        await AssertFoundBeforeAnyResendAsync(tenant, sender, phone, messageId, deliveryId);
    }

    [Fact]
    public async Task A502ForATextTwilioNeverGotIsAskedAboutThenSentOnce()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.BadGatewayNext(phone, accepted: false);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);

        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.DispatchAsync();

        Assert.Single(Twilio.MessagesTo(phone));
        Assert.Equal(2, Twilio.SendsTo(phone).Count);
        Assert.Single(Twilio.ListsFor(phone)); // asked before the second post
        Assert.True(Twilio.ListsFor(phone)[0].At <= Twilio.SendsTo(phone)[1].At);
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.Sent], await OutcomesAsync(deliveryId));
    }

    /// <summary>
    /// Found by the chaos test: a text Twilio said it never got, then held back by its sender's budget, was asked about
    /// again at every later claim, and each "cannot ask" spent an attempt until it failed "outcome unknown", never sent.
    /// </summary>
    [Fact]
    public async Task ATextTwilioNeverGotHeldBackByItsSendersBudgetIsAskedAboutOnceThenSent()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.BadGatewayNext(phone, accepted: false);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await app.DispatchAsync();

        // Due again, asked about ("not found"), but the sender's budget is spent for a minute: it waits its turn.
        app.Time.Advance(TimeSpan.FromMinutes(10));
        var busyUntil = app.Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        await app.WithDbAsync(db => db.SenderBudgets.ExecuteUpdateAsync(s => s.SetProperty(b => b.NextFreeAt, busyUntil)));
        await app.DispatchAsync();
        Assert.Single(Twilio.ListsFor(phone));
        Assert.Single(Twilio.SendsTo(phone));
        Assert.Equal(DeliveryStatus.Pending, (await DeliveryAsync(deliveryId)).Status);

        Twilio.ListsFail = true; // were it asked again, it could not be answered
        try
        {
            app.Time.Advance(TimeSpan.FromMinutes(2));
            await app.DispatchAsync();
        }
        finally { Twilio.ListsFail = false; }

        Assert.Single(Twilio.ListsFor(phone)); // the answer held: not asked again
        Assert.Single(Twilio.MessagesTo(phone));
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.Sent], await OutcomesAsync(deliveryId));
    }

    /// <summary>
    /// Asked again after unanswered questions, Twilio is asked about the text's own attempt: the "created since" window
    /// stays at that attempt's start, not at the last question's, which after a few backoffs would miss the text and resend it.
    /// </summary>
    [Fact]
    public async Task ALostReplyAskedAboutAfterSeveralUnansweredQuestionsIsStillFoundAndNeverSentTwice()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.AcceptThenHangNext(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await DispatchPastTheTimeoutAsync(phone);
        Twilio.ListsFail = true;
        try
        {
            while (Twilio.ListsFor(phone).Count < 3)
            {
                app.Time.Advance(TimeSpan.FromMinutes(10)); // the backoff's cap: each question minutes after the last
                await app.DispatchAsync();
            }
        }
        finally { Twilio.ListsFail = false; }
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.DispatchAsync();

        Assert.Equal(4, Twilio.ListsFor(phone).Count);
        var stored = Assert.Single(Twilio.MessagesTo(phone));
        Assert.Single(Twilio.SendsTo(phone));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(stored.Sid, (string?)recipient["providerMessageId"]);
    }

    [Fact]
    public async Task A429AskingForAnHourIsRetriedWithinTenMinutesAndSentOnce()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.RateLimitNext(phone, TimeSpan.FromSeconds(3600));
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        var start = app.Time.GetUtcNow();

        await app.DispatchAsync();

        var retrying = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, retrying.Status);
        Assert.InRange(retrying.AvailableAt - start, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));
        Assert.Equal([AttemptOutcome.TransientFailure], await OutcomesAsync(deliveryId)); // refused: not sent, nothing to ask
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.DispatchAsync();

        Assert.Single(Twilio.MessagesTo(phone));
        Assert.Equal(2, Twilio.SendsTo(phone).Count);
        Assert.Empty(Twilio.ListsFor(phone));
        Assert.Equal("sent", (string?)(await RecipientAsync(tenant, messageId))["status"]);
    }

    [Fact]
    public async Task ATextStillQueuedAtTwilioIsFoundAfterACrashThoughADateSentFilterWouldHideIt()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await CrashMidSendAsync(deliveryId);
        var queued = Twilio.Seed(phone, sender, Text, app.Time.GetUtcNow() + TimeSpan.FromSeconds(1)); // no date_sent yet
        using (var http = new HttpClient())
        {
            // The fake answers like Twilio: a DateSent filter leaves the queued text out.
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(
                System.Text.Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")));
            var filtered = await http.GetStringAsync($"{Twilio.BaseUrl}/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json" +
                                                     $"?To={Uri.EscapeDataString(phone)}&DateSent%3E%3D={app.Time.GetUtcNow():yyyy-MM-dd}");
            Assert.Empty(JsonNode.Parse(filtered)!["messages"]!.AsArray());
        }

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.DispatchAsync();

        Assert.Empty(Twilio.SendsTo(phone));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("sent", (string?)recipient["status"]);
        Assert.Equal(queued.Sid, (string?)recipient["providerMessageId"]);
    }

    [Fact]
    public async Task WhenTwilioCannotBeAskedAfterALostReplyTheTextFailsAsOutcomeUnknownWithoutASecondSend()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        Twilio.AcceptThenHangNext(phone);
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        Twilio.ListsFail = true;
        try
        {
            await DispatchPastTheTimeoutAsync(phone);
            for (var round = 0; round < 15 && (await DeliveryAsync(deliveryId)).Status == DeliveryStatus.Pending; round++)
            {
                app.Time.Advance(TimeSpan.FromMinutes(10)); // the backoff's cap
                await app.DispatchAsync();
            }
        }
        finally { Twilio.ListsFail = false; }

        Assert.Single(Twilio.MessagesTo(phone));
        Assert.Single(Twilio.SendsTo(phone));
        Assert.Equal(9, Twilio.ListsFor(phone).Count); // asked before each of attempts 2–10, on the backoff
        var failed = await DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal("outcome-unknown", failed.ErrorCode);
        Assert.Equal(10, failed.Attempts);
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)recipient["status"]);
        Assert.Equal("outcome-unknown", (string?)recipient["errorCode"]);
        Assert.Contains("Twilio may or may not have sent this text", (string?)recipient["errorMessage"]);
        Assert.All(await OutcomesAsync(deliveryId), o => Assert.Equal(AttemptOutcome.Ambiguous, o));
    }

    [Fact]
    public async Task AfterACrashATwilioThatCannotBeAskedEndsAsOutcomeUnknownInsteadOfHoldingTheTextForever()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var (messageId, deliveryId) = await SendToProjectAsync(tenant);
        await CrashMidSendAsync(deliveryId);
        Twilio.ListsFail = true;
        try
        {
            app.Time.Advance(TimeSpan.FromSeconds(31));
            for (var round = 0; round < 15 && (await DeliveryAsync(deliveryId)).Status != DeliveryStatus.Failed; round++)
            {
                await app.DispatchAsync();
                app.Time.Advance(TimeSpan.FromMinutes(10));
            }
        }
        finally { Twilio.ListsFail = false; }

        Assert.Empty(Twilio.SendsTo(phone));
        var recipient = await RecipientAsync(tenant, messageId);
        Assert.Equal("failed", (string?)recipient["status"]);
        Assert.Equal("outcome-unknown", (string?)recipient["errorCode"]);
        Assert.Equal(10, (await DeliveryAsync(deliveryId)).Attempts);
    }

    [Fact]
    public async Task StaffSeeAnOutcomeUnknownFailureWithItsMessageInTheDeliveryLogAndOnTheDashboard()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var (_, deliveryId) = await SendToProjectAsync(tenant);
        await CrashMidSendAsync(deliveryId);
        Twilio.ListsFail = true;
        try
        {
            app.Time.Advance(TimeSpan.FromSeconds(31));
            for (var round = 0; round < 15 && (await DeliveryAsync(deliveryId)).Status != DeliveryStatus.Failed; round++)
            {
                await app.DispatchAsync();
                app.Time.Advance(TimeSpan.FromMinutes(10));
            }
        }
        finally { Twilio.ListsFail = false; }
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var log = WebUtility.HtmlDecode(await staff.GetPageAsync("/deliveries"));
        var dashboard = WebUtility.HtmlDecode(await staff.GetPageAsync("/"));

        const string Explained = "Twilio may or may not have sent this text; its answer was lost and it could not be asked. Check the client's phone before resending.";
        Assert.Contains(phone, log);
        Assert.Contains("outcome-unknown", log);
        Assert.Contains(Explained, log);
        var failures = System.Text.RegularExpressions.Regex.Match(dashboard, "data-list=\"failures\">(.*?)</table>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("outcome-unknown", failures);
        Assert.Contains(Explained, failures);
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
}
