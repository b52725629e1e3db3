using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": endpoints are created, listed, their secret shown, their log read and deleted through
/// the admin CLI, which refuses a bad URL, an unknown event type or company; deleting cancels pending calls.
/// </summary>
public sealed class WebhookAdminTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task WebhookCreateListSecretAndDeleteThroughTheCli()
    {
        var tenant = await app.NewTenantAsync();
        var url = Receiver.UrlOf(Receiver.NewPath());

        var create = await app.CliAsync("webhook", "create", "--company", tenant.Slug, "--url", url,
            "--events", "message.received, contact.opted_out", "--description", "Clio sync");
        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Equal("", create.Error);
        var lines = create.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        var id = int.Parse(lines[0]["id: ".Length..]);
        var secret = lines[1]["secret: ".Length..];
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var list = await app.CliAsync("webhook", "list", "--company", tenant.Slug);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches($@"(?m)^{id}\s+enabled\s+{app.Time.GetUtcNow():yyyy-MM-dd HH:mm}Z\s+message\.received,contact\.opted_out\s+{System.Text.RegularExpressions.Regex.Escape(url)}  \(Clio sync\)", list.Out);
        Assert.DoesNotContain(secret, list.Out);
        Assert.Equal(secret, (await app.CliAsync("webhook", "secret", "--company", tenant.Slug, "--id", id.ToString())).Out.Trim());

        var delete = await app.CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", id.ToString());
        Assert.Equal((0, $"deleted endpoint {id}"), (delete.ExitCode, delete.Out.Trim()));
        Assert.DoesNotContain(url, (await app.CliAsync("webhook", "list", "--company", tenant.Slug)).Out);
        var again = await app.CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", id.ToString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"has no webhook endpoint {id}", again.Error);
    }

    [Fact]
    public async Task DeletingAnEndpointCancelsItsPendingCallsAndKeepsItsLog()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "message.received");
        await app.TextAsync(phone, sender, "sent before the delete");
        await app.DispatchAsync();
        await app.TextAsync(phone, sender, "still waiting");

        var log = await app.CliAsync("webhook", "log", "--company", tenant.Slug, "--id", hook.Id.ToString());
        Assert.Equal(0, log.ExitCode);
        Assert.Contains("message.received", log.Out);
        Assert.Matches(@"#1 \S+ \S+ sent", log.Out);
        var delete = await app.CliAsync("webhook", "delete", "--company", tenant.Slug, "--id", hook.Id.ToString());
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
        var run = await app.CliAsync("webhook", "create", "--company", tenant.Slug, "--url", url);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains(named, run.Error);
        Assert.Empty(await app.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.CompanyId == tenant.CompanyId).ToListAsync()));
    }

    [Fact]
    public async Task WebhookCreateRefusesUnknownEventsAndCompanies()
    {
        var tenant = await app.NewTenantAsync();

        var events = await app.CliAsync("webhook", "create", "--company", tenant.Slug, "--url", "https://cms.example/hooks", "--events", "message.received,message.sent");
        Assert.Equal(1, events.ExitCode);
        Assert.Contains("'message.sent' is not an event type", events.Error);
        Assert.Contains("message.status_changed, message.received, contact.opted_out, contact.opted_in, reminder.sent, project.phase_changed", events.Error);
        var company = await app.CliAsync("webhook", "create", "--company", "no-such-firm", "--url", "https://cms.example/hooks");
        Assert.Equal(1, company.ExitCode);
        Assert.Contains("no company with slug 'no-such-firm'", company.Error);
        var missing = await app.CliAsync("webhook", "create", "--company", tenant.Slug);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--url", missing.Error);
    }
}
