using System.Net;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": an endpoint that fails or does not answer in time gets the event again under the same
/// webhook-id, one call at a time while it fails, and is disabled — its reason listed, its pending calls
/// canceled — after a day of failures or at once when it answers 410 Gone; enabling it again resumes.
/// </summary>
public sealed class WebhookFailingEndpointTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    // ---- retries ----

    [Fact]
    public async Task AReceiverThatFailsThreeTimesGetsTheEventAFourthTimeWithTheSameWebhookId()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant);
        Receiver.FailNext(hook.Path, 3);

        await app.TextAsync(phone, sender, "Hello?");
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

        var call = Assert.Single(await app.CallsOfAsync(hook));
        Assert.Equal(DeliveryStatus.Sent, call.Status);
        Assert.Equal(requests[0].WebhookId, call.WebhookId);
        var attempts = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == call.Id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.Sent],
            attempts.Select(a => a.Outcome!.Value));
        Assert.All(attempts.Take(3), a => Assert.Equal("http-500", a.ErrorCode));
        var endpoint = await app.EndpointRowAsync(hook);
        Assert.Equal(0, endpoint.ConsecutiveFailures); // the success ended the run
        Assert.Null(endpoint.FailingSince);
    }

    [Fact]
    public async Task ASuccessReleasesTheCallsThatWaitedBehindAFailingEndpoint()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1);

        await app.TextAsync(phone, sender, "first");
        await app.DispatchAsync(); // fails: the endpoint is now failing, "first" retries in a few seconds
        await app.TextAsync(phone, sender, "second");
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
        var hook = await app.EndpointAsync(tenant, "message.received");
        Receiver.Script(hook.Path, new WebhookReceiver.Answer(HttpStatusCode.OK, Hang: true));
        await app.TextAsync(phone, sender, "Are you there?");

        var dispatch = app.DispatchAsync();
        await Receiver.WaitForAsync(hook.Path, 1);
        app.Time.Advance(TimeSpan.FromSeconds(11)); // past Webhooks:Timeout (10 s)
        await dispatch.WaitAsync(TimeSpan.FromSeconds(30));

        var call = Assert.Single(await app.CallsOfAsync(hook));
        Assert.Equal(DeliveryStatus.Pending, call.Status);
        Assert.Equal("timeout", call.ErrorCode);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DispatchAsync();
        var requests = Receiver.RequestsTo(hook.Path);
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].WebhookId, requests[1].WebhookId);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await app.CallsOfAsync(hook)).Status);
    }

    // ---- disabling ----

    [Fact]
    public async Task AnEndpointFailingForADayIsDisabledWithItsReasonListedAndItsPendingCallsCanceled()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1000, HttpStatusCode.ServiceUnavailable);
        var start = app.Time.GetUtcNow();

        await app.TextAsync(phone, sender, "first");
        await app.DispatchAsync();
        for (var hour = 1; hour <= 23; hour++)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            if (hour == 12) await app.TextAsync(phone, sender, "second"); // waits behind the failing endpoint's probe
            await app.DispatchAsync();
            Assert.Equal(hour + 1, Receiver.RequestsTo(hook.Path).Count); // one call an hour, never a flood
        }
        var listed = (await app.CliAsync("webhook", "list", "--company", tenant.Slug)).Out;
        Assert.Contains("failing", listed);
        Assert.Null((await app.EndpointRowAsync(hook)).DisabledAt);

        app.Time.Advance(TimeSpan.FromHours(1)); // a whole day of failures
        await app.DispatchAsync();

        var endpoint = await app.EndpointRowAsync(hook);
        Assert.Equal(app.Time.GetUtcNow(), endpoint.DisabledAt);
        Assert.Equal(25, endpoint.ConsecutiveFailures);
        Assert.Equal(start, endpoint.FailingSince);
        Assert.StartsWith($"Every call failed for 24 hours since {start:yyyy-MM-dd HH:mm}Z (25 attempts in a row). Last error: HTTP 503", endpoint.DisabledReason);
        var list = await app.CliAsync("webhook", "list", "--company", tenant.Slug);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches($@"(?m)^{hook.Id}\s+disabled\s", list.Out);
        Assert.Contains(endpoint.DisabledReason!, list.Out);
        var calls = await app.CallsOfAsync(hook);
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Canceled], calls.Select(c => c.Status)); // "first" gave up, "second" canceled
        Assert.Equal("endpoint-disabled", calls[1].ErrorCode);

        await app.TextAsync(phone, sender, "third");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();
        Assert.Equal(25, Receiver.RequestsTo(hook.Path).Count); // nothing for a disabled endpoint
        Assert.Equal(2, (await app.CallsOfAsync(hook)).Count);

        Receiver.Heal(hook.Path);
        var enable = await app.CliAsync("webhook", "enable", "--company", tenant.Slug, "--id", hook.Id.ToString());
        Assert.Equal($"enabled endpoint {hook.Id}", enable.Out.Trim());
        await app.TextAsync(phone, sender, "fourth");
        await app.DispatchAsync();
        Assert.Equal("fourth", (string?)Receiver.RequestsTo(hook.Path)[^1].Data["text"]);
        Assert.Matches($@"(?m)^{hook.Id}\s+enabled\s", (await app.CliAsync("webhook", "list", "--company", tenant.Slug)).Out);
    }

    [Fact]
    public async Task A410GoneDisablesTheEndpointAtOnce()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "message.received");
        Receiver.FailNext(hook.Path, 1, HttpStatusCode.Gone);

        await app.TextAsync(phone, sender, "hello");
        await app.DispatchAsync();
        await app.TextAsync(phone, sender, "again");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        Assert.Single(Receiver.RequestsTo(hook.Path));
        var call = Assert.Single(await app.CallsOfAsync(hook));
        Assert.Equal((DeliveryStatus.Failed, "http-410"), (call.Status, call.ErrorCode));
        var endpoint = await app.EndpointRowAsync(hook);
        Assert.NotNull(endpoint.DisabledAt);
        Assert.Contains("410 Gone", endpoint.DisabledReason);
    }
}
