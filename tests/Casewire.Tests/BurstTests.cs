using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// Issue 18: a burst (every 9:00 hearing's reminder due at 8:00:00) is claimed and decided during the lookahead before
/// its instant and handed to the provider at the instant — never before it. What happens in those last moments still
/// counts: a cancel or a STOP stops the text, and a shutdown gives every claimed item back to be sent once later.
/// </summary>
public sealed class BurstTests(ScriptedSmsApp app) : IClassFixture<ScriptedSmsApp>
{
    Dispatcher Dispatcher => app.Services.GetRequiredService<Dispatcher>();

    /// <summary><paramref name="count"/> texts of a new firm, each to its own number, all due at <paramref name="at"/>.</summary>
    async Task<(int CompanyId, List<long> Ids)> BurstAsync(int count, DateTimeOffset at)
    {
        var tenant = await app.NewTenantAsync();
        var prefix = Random.Shared.Next(100, 999);
        var ids = await app.WithDbAsync(async db =>
        {
            var outbox = new Outbox(db, app.Time);
            var items = Enumerable.Range(0, count).Select(i => outbox.Enqueue(new OutboxItem
            {
                CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = $"+1555{prefix}{i:D4}", Body = "Reminder: hearing at 9:00", DueAt = at,
                CoalescingKey = $"event:{prefix}:reminder:{i}",
                ExpiresAt = at + TimeSpan.FromHours(1),
            })).ToList();
            await db.SaveChangesAsync();
            return items.Select(i => i.Id).ToList();
        });
        return (tenant.CompanyId, ids);
    }

    Task<List<OutboxItem>> ItemsAsync(List<long> ids) =>
        app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync());

    /// <summary>Waits (briefly, in real time: the rounds run on the thread pool) until every item is claimed.</summary>
    async Task ClaimedAsync(List<long> ids)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await ItemsAsync(ids)).All(o => o.Status == DeliveryStatus.Sending)) return;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Fail("the burst's items were not all claimed ahead of their instant");
    }

    List<(OutgoingSms Sms, DateTimeOffset At)> CallsTo(List<long> ids) => app.Sms.Calls.Where(c => ids.Contains(c.Sms.DeliveryId)).ToList();

    [Fact]
    public async Task ABurstIsClaimedInRoundsDuringTheLookaheadAndEveryTextLeavesAtItsInstantNeverBefore()
    {
        var instant = app.Time.GetUtcNow() + TimeSpan.FromMinutes(30);
        var (_, ids) = await BurstAsync(450, instant); // three rounds of 200
        app.Time.SetUtcNow(instant - TimeSpan.FromSeconds(1));

        var burst = Dispatcher.PrepareBurstAsync(Lane.Sms, instant, CancellationToken.None);
        await ClaimedAsync(ids);
        app.Time.Advance(TimeSpan.FromMilliseconds(900)); // 100 ms before the instant
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var early = CallsTo(ids).Count;
        var waiting = !burst.IsCompleted;
        app.Time.SetUtcNow(instant);
        await burst.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, early);
        Assert.True(waiting, "the burst's rounds finished before their instant");
        var calls = CallsTo(ids);
        Assert.Equal(ids.Order(), calls.Select(c => c.Sms.DeliveryId).Order()); // each once
        Assert.All(calls, c => Assert.Equal(instant, c.At));
        Assert.All(await ItemsAsync(ids), o => Assert.Equal((DeliveryStatus.Sent, 1), (o.Status, o.Attempts)));
    }

    [Fact]
    public async Task ATextCanceledAndANumberThatTextedStopDuringTheLookaheadAreNotSent()
    {
        var instant = app.Time.GetUtcNow() + TimeSpan.FromMinutes(30);
        var (companyId, ids) = await BurstAsync(3, instant);
        app.Time.SetUtcNow(instant - TimeSpan.FromSeconds(1));
        var burst = Dispatcher.PrepareBurstAsync(Lane.Sms, instant, CancellationToken.None);
        await ClaimedAsync(ids);

        // The event is deleted (a request ends the claimed reminder) and another client texts STOP, both 0.5 s before 8:00.
        app.Time.Advance(TimeSpan.FromMilliseconds(500));
        await app.WithDbAsync(async db =>
        {
            var canceled = await db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == ids[0]);
            Assert.Single(await new Outbox(db, app.Time).CancelAsync(companyId, canceled.CoalescingKey!, CancellationToken.None));
            await db.SaveChangesAsync();
            var stopped = await db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == ids[1]);
            await OptOuts.SetAsync(db, companyId, stopped.To, active: true, "STOP", app.Time.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
        });
        app.Time.SetUtcNow(instant);
        await burst.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal([ids[2]], CallsTo(ids).Select(c => c.Sms.DeliveryId));
        var items = (await ItemsAsync(ids)).ToDictionary(o => o.Id);
        Assert.Equal((DeliveryStatus.Canceled, 0), (items[ids[0]].Status, items[ids[0]].Attempts));
        Assert.Equal((DeliveryStatus.Suppressed, 0), (items[ids[1]].Status, items[ids[1]].Attempts));
        Assert.Equal(DeliveryStatus.Sent, items[ids[2]].Status);
    }

    [Fact]
    public async Task AShutdownBeforeTheInstantGivesTheClaimedItemsBackAndEachIsSentOnceAfterIt()
    {
        var instant = app.Time.GetUtcNow() + TimeSpan.FromMinutes(30);
        var (_, ids) = await BurstAsync(250, instant);
        app.Time.SetUtcNow(instant - TimeSpan.FromSeconds(1));
        using var stopping = new CancellationTokenSource();
        var burst = Dispatcher.PrepareBurstAsync(Lane.Sms, instant, stopping.Token);
        await ClaimedAsync(ids);

        await stopping.CancelAsync();
        await burst.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var givenBack = await ItemsAsync(ids);
        app.Time.SetUtcNow(instant);
        await app.DispatchAsync();

        Assert.All(givenBack, o => Assert.Equal((DeliveryStatus.Pending, 0, (string?)null), (o.Status, o.Attempts, o.LeaseOwner)));
        Assert.Equal(ids.Order(), CallsTo(ids).Select(c => c.Sms.DeliveryId).Order());
        Assert.All(CallsTo(ids), c => Assert.Equal(instant, c.At));
    }
}
