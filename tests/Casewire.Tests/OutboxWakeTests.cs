using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// A committed outbox write wakes the dispatcher lanes of the channels it wrote, and only those: a lane with nothing to do
/// still runs four statements a round (on SQLite one of them takes the writer's lock). Across instances the PostgreSQL
/// notification names the lanes.
/// </summary>
public sealed class OutboxWakeTests
{
    /// <summary>Another instance on the first one's database.</summary>
    sealed class OtherInstance(string sharedConnectionString) : CasewireApp(sharedConnectionString);

    static async Task WriteAsync(CasewireApp app, int companyId, params Channel[] channels)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        foreach (var channel in channels)
            outbox.Enqueue(new OutboxItem
            {
                CompanyId = companyId, Channel = channel, Body = "hello",
                To = channel == Channel.Sms ? "+15555550100" : channel == Channel.Email ? "client@example.com" : "https://example.com/hook",
            });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ATextWakesTheTextsLaneAndNotTheEmailOrWebhookLanes()
    {
        await using var app = new CasewireApp();
        var tenant = await app.NewTenantAsync();
        var wake = app.Services.GetRequiredService<OutboxWake>();
        var (sms, email, webhooks) = (wake.Next(Lane.Sms), wake.Next(Lane.Email), wake.Next(Lane.Webhooks));

        await WriteAsync(app, tenant.CompanyId, Channel.Sms);

        Assert.True(sms.IsCompleted, "the texts' lane was not woken by a text");
        Assert.False(email.IsCompleted, "the email lane was woken by a text");
        Assert.False(webhooks.IsCompleted, "the webhook lane was woken by a text");
    }

    [Fact]
    public async Task ASaveOfATextAndAnEmailWakesBothTheirLanesOnlyOnceItCommits()
    {
        await using var app = new CasewireApp();
        var tenant = await app.NewTenantAsync();
        var wake = app.Services.GetRequiredService<OutboxWake>();
        var (sms, email, webhooks) = (wake.Next(Lane.Sms), wake.Next(Lane.Email), wake.Next(Lane.Webhooks));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            outbox.Enqueue(new OutboxItem { CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = "+15555550100", Body = "hello" });
            outbox.Enqueue(new OutboxItem { CompanyId = tenant.CompanyId, Channel = Channel.Email, To = "client@example.com", Body = "hello" });
            await db.SaveChangesAsync();
            Assert.False(sms.IsCompleted || email.IsCompleted, "a lane was woken before the write committed: it could not see the rows");
            await transaction.CommitAsync();
        }

        Assert.True(sms.IsCompleted && email.IsCompleted, $"texts woken: {sms.IsCompleted}, emails woken: {email.IsCompleted}");
        Assert.False(webhooks.IsCompleted, "the webhook lane was woken by a text and an email");
    }

    [Theory]
    [InlineData("sms", "sms")]
    [InlineData("sms,email", "sms,email")]
    [InlineData(" webhooks , sms ", "sms,webhooks")]
    [InlineData("", "sms,email,webhooks")] // an older instance's, or a hand-written NOTIFY casewire_outbox
    [InlineData(null, "sms,email,webhooks")]
    [InlineData("fax", "sms,email,webhooks")] // a lane this instance does not know: look everywhere rather than miss it
    public void ANotificationsPayloadNamesTheLanesItWakes(string? payload, string expected) =>
        Assert.Equal(expected, string.Join(",", PostgresOutboxRelay.LanesOf(payload).OrderBy(l => Lane.All.ToList().IndexOf(l)).Select(l => l.Name)));

    [Fact]
    public async Task OnPostgreSqlAnotherInstancesEmailWakesThisInstancesEmailLaneOnly()
    {
        if (!CasewireApp.OnPostgres) return; // SQLite is one instance: nothing to notify across
        await using var writer = new CasewireApp();
        var tenant = await writer.NewTenantAsync();
        await using var other = new OtherInstance(writer.ConnectionString);
        var wake = other.Services.GetRequiredService<OutboxWake>();
        // The other instance listens once its relay has connected: a write before that is not lost (its idle check finds it), only not announced.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Task email;
        do
        {
            email = wake.Next(Lane.Email);
            var sms = wake.Next(Lane.Sms);
            await WriteAsync(writer, tenant.CompanyId, Channel.Email);
            await Task.WhenAny(email, Task.Delay(TimeSpan.FromMilliseconds(500)));
            if (email.IsCompleted)
            {
                Assert.False(sms.IsCompleted, "another instance's email woke this instance's texts' lane");
                return;
            }
        } while (DateTime.UtcNow < deadline);
        Assert.Fail("another instance's email never woke this instance's email lane");
    }
}
