using System.Net;
using System.Net.Http.Json;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": an endpoint receives only the event types of its filter and only its own company's
/// events; its calls go through the outbox but are not texts in the Company App's delivery log or dashboard.
/// </summary>
public sealed class WebhookScopeTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task AnEndpointReceivesOnlyTheEventTypesOfItsFilter()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var all = await app.EndpointAsync(tenant);
        var repliesOnly = await app.EndpointAsync(tenant, "message.received");

        await app.TextAsync(phone, sender, "STOP"); // a reply, and an opt-out
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
        var hookA = await app.EndpointAsync(firmA);
        var hookB = await app.EndpointAsync(firmB);

        await app.TextAsync(phoneA, senderA, "STOP");
        await (await firmA.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = PartnerSetup.UniqueNumber(), text = "Hi" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await firmA.ProjectAsync("p1", ["c1"], phase: "Discovery");
        await app.DispatchAsync();

        Assert.Equal(4, Receiver.RequestsTo(hookA.Path).Count); // received, opted out, status changed, phase changed
        Assert.Empty(Receiver.RequestsTo(hookB.Path));
        Assert.Empty(await app.CallsOfAsync(hookB));
        // Nor can company B's admin touch company A's endpoint.
        var delete = await app.CliAsync("webhook", "delete", "--company", firmB.Slug, "--id", hookA.Id.ToString());
        Assert.Equal(1, delete.ExitCode);
        Assert.Contains($"has no webhook endpoint {hookA.Id}", delete.Error);
        Assert.DoesNotContain(hookA.Path, (await app.CliAsync("webhook", "list", "--company", firmB.Slug)).Out);
        Assert.Equal(1, (await app.CliAsync("webhook", "secret", "--company", firmB.Slug, "--id", hookA.Id.ToString())).ExitCode);
    }

    [Fact]
    public async Task TheCompanyAppsDeliveryLogAndDashboardCountTextsNotWebhookCalls()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var ok = await app.EndpointAsync(tenant, "message.status_changed");
        var failing = await app.EndpointAsync(tenant, "message.status_changed");
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
        Assert.Equal(2, (await app.CallsOfAsync(ok)).Count + (await app.CallsOfAsync(failing)).Count);
    }
}
