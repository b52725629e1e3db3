using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// A shutdown in the middle of a round: what went out is recorded, what was not yet sent goes back unsent — due again
/// at the restart, not held "sending" until its lease runs out five minutes later (the published server's SIGTERM
/// smoke test once found a message missing 30 s after the restart for that reason).
/// </summary>
public sealed class ShutdownRoundTests
{
    /// <summary>One provider call at a time, so the shutdown lands between two calls of one round.</summary>
    sealed class OneCallAtATimeApp : CasewireApp
    {
        internal ScriptedSmsSender Sms { get; } = new();

        protected override void Configure(IDictionary<string, string?> settings) => settings["Delivery:MaxParallelSends"] = "1";

        protected override void ConfigureServices(IServiceCollection services)
        {
            Sms.Clock = Time;
            services.AddSingleton<ISmsSender>(Sms);
        }
    }

    [Fact]
    public async Task AShutdownMidRoundRecordsWhatWentOutAndGivesTheRestBackToBeSentOnceAfterTheRestart()
    {
        await using var app = new OneCallAtATimeApp();
        var tenant = await app.NewTenantAsync();
        var ids = await app.WithDbAsync(async db =>
        {
            var outbox = new Outbox(db, app.Time);
            var items = Enumerable.Range(0, 3).Select(i => outbox.Enqueue(new OutboxItem
            {
                CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = $"+1555010{i:D4}", Body = $"text {i}",
            })).ToList();
            await db.SaveChangesAsync();
            return items.Select(i => i.Id).ToList();
        });
        var dispatcher = app.Services.GetRequiredService<Dispatcher>();
        using var stopping = new CancellationTokenSource();
        app.Sms.DuringSend = async _ => await stopping.CancelAsync(); // the host stops while the first text is with the provider

        await dispatcher.DispatchDueAsync(Lane.Sms, stopping.Token);

        var afterShutdown = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync());
        var sentId = Assert.Single(app.Sms.Calls).Sms.DeliveryId;
        Assert.Equal((DeliveryStatus.Sent, 1), afterShutdown.Where(o => o.Id == sentId).Select(o => (o.Status, o.Attempts)).Single());
        Assert.All(afterShutdown.Where(o => o.Id != sentId),
            o => Assert.Equal((DeliveryStatus.Pending, 0, (string?)null, (DateTimeOffset?)null), (o.Status, o.Attempts, o.LeaseOwner, o.LeaseExpiresAt)));

        app.Sms.DuringSend = null;
        await dispatcher.DispatchDueAsync(Lane.Sms, CancellationToken.None); // the restarted instance's first round

        Assert.Equal(ids.Order(), app.Sms.Calls.Select(c => c.Sms.DeliveryId).Order()); // each text once
        Assert.All(await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync()),
            o => Assert.Equal(DeliveryStatus.Sent, o.Status));
    }
}
