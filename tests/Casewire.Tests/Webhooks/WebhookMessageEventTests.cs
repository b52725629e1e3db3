using System.Net;
using System.Net.Http.Json;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": what happens to a text raises an event with the change that causes it — its status
/// (message.status_changed), a client's reply by text or in the portal (message.received), an opt-out or
/// opt-in by keyword or by the carrier (contact.opted_out, contact.opted_in) — sent signed to a real local receiver.
/// </summary>
public sealed class WebhookMessageEventTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task ATwilioStatusCallbackRaisesMessageStatusChangedSignedAsTheStandardSays()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant);
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
        Assert.All(requests, WebhookApp.AssertSignedAndAccepted);
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
        var hook = await app.EndpointAsync(tenant);

        await app.TextAsync(phone, sender, "Can we move my appointment to Friday? Ça marche +1");
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        WebhookApp.AssertSignedAndAccepted(request);
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
        var hook = await app.EndpointAsync(tenant, "message.received");
        var (project, contact) = await app.WithDbAsync(async db => (
            await db.Projects.Where(p => p.CompanyId == tenant.CompanyId && p.ExternalId == "p1").Select(p => p.Id).SingleAsync(),
            await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId && c.ExternalId == "c1").Select(c => c.Id).SingleAsync()));

        await app.ReplyAsync(await app.PortalPathAsync(tenant.CompanyId, project, contact), "Is Friday at 3 still on?");
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        WebhookApp.AssertSignedAndAccepted(request);
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
        var hook = await app.EndpointAsync(tenant, "contact.opted_out,contact.opted_in");

        await app.TextAsync(phone, sender, "stop");
        await app.TextAsync(phone, sender, "STOP"); // already out: no second event
        await app.TextAsync(phone, sender, "Start");
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
        var hook = await app.EndpointAsync(tenant, "contact.opted_out");
        app.Twilio.RejectNext(phone, 21610, "Attempt to send to unsubscribed recipient");

        await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = "Hello" })).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("carrier", (string?)data["source"]);
        Assert.Null((string?)data["keyword"]);
        Assert.Equal(phone, (string?)data["phone"]);
    }
}
