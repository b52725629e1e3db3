using System.Net;
using Casewire.Cli;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// The app with Twilio pointed at a <see cref="FakeTwilio"/> and a <see cref="WebhookReceiver"/> for the
/// integrator's endpoints, and what the webhook tests do with them: register an endpoint, text in as a
/// client, run the admin CLI, read an endpoint's calls.
/// </summary>
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

    /// <summary>An endpoint as registered: its id, its signing secret and its path at the <see cref="Receiver"/>.</summary>
    public sealed record Endpoint(int Id, string Secret, string Path);

    public sealed record Run(int ExitCode, string Out, string Error);

    /// <summary>Runs the admin CLI against this app.</summary>
    public async Task<Run> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(Services, args, stdout, stderr);
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An endpoint registered with the CLI at a fresh path of the receiver, which then verifies what arrives there.</summary>
    public async Task<Endpoint> EndpointAsync(Tenant tenant, string? events = null)
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
    public async Task TextAsync(string from, string to, string body)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = from, ["To"] = to,
            ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1", ["ApiVersion"] = "2010-04-01",
        };
        var response = await FakeTwilio.PostSignedAsync(CreateClient(), "/webhooks/twilio/sms", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The endpoint's calls in the outbox, oldest first.</summary>
    internal Task<List<OutboxItem>> CallsOfAsync(Endpoint endpoint) => WithDbAsync(db =>
        db.OutboxItems.AsNoTracking().Where(o => o.WebhookEndpointId == endpoint.Id).OrderBy(o => o.Id).ToListAsync());

    internal Task<WebhookEndpoint> EndpointRowAsync(Endpoint endpoint) =>
        WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpoint.Id));

    public static void AssertSignedAndAccepted(WebhookReceiver.Received request)
    {
        Assert.True(request.SignatureValid, $"the receiver could not verify {request.Headers.GetValueOrDefault("webhook-signature")}");
        Assert.Equal(200, request.AnsweredWith);
        Assert.Matches("^msg_[0-9a-f]{32}$", request.WebhookId);
        Assert.StartsWith("application/json", request.Headers["content-type"]);
    }
}
