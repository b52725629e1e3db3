using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>SPEC §7: the dispatcher's rules, on a scripted provider and a <c>FakeTimeProvider</c>.</summary>
public sealed class DispatcherTests(ScriptedSmsApp app) : IClassFixture<ScriptedSmsApp>
{
    async Task<long> EnqueueAsync(int companyId, TimeSpan dueIn, string to = "+15551234567", TimeSpan? expiresIn = null) =>
        await app.WithDbAsync(async db =>
        {
            var outbox = new Outbox(db, app.Time);
            var item = outbox.Enqueue(new OutboxItem
            {
                CompanyId = companyId, Channel = Channel.Sms, To = to, Body = "Hello",
                DueAt = app.Time.GetUtcNow() + dueIn,
                ExpiresAt = expiresIn is { } e ? app.Time.GetUtcNow() + e : null,
            });
            await db.SaveChangesAsync();
            return item.Id;
        });

    Task<OutboxItem> ItemAsync(long id) => app.WithDbAsync(db => db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == id));

    int CallsTo(long id) => app.Sms.Calls.Count(c => c.Sms.DeliveryId == id);

    [Fact]
    public async Task AnItemDueAtTIsNotSentBeforeTAndIsSentAtT()
    {
        var tenant = await app.NewTenantAsync();
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.FromMinutes(10));
        var due = (await ItemAsync(id)).DueAt;

        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();
        var callsBefore = CallsTo(id);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        await app.DispatchAsync();

        Assert.Equal(0, callsBefore);
        Assert.Equal(1, CallsTo(id));
        Assert.Equal(due, app.Sms.Calls.Single(c => c.Sms.DeliveryId == id).At);
        Assert.Equal(DeliveryStatus.Sent, (await ItemAsync(id)).Status);
    }

    [Fact]
    public async Task ARoundRecordsEachSentItemAndItsAttemptBesideAFailureInTheSameRound()
    {
        var tenant = await app.NewTenantAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add(await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: $"+1555010{i:0000}"));
        app.Sms.ThrowFor["+15550100003"] = true; // one of the round fails (transiently), the rest are sent
        try
        {
            await app.DispatchAsync();
        }
        finally
        {
            app.Sms.ThrowFor.TryRemove("+15550100003", out _);
        }

        var items = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync());
        var attempts = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.OutboxItemId)).ToListAsync());
        var sent = items.Where(i => i.Status == DeliveryStatus.Sent).ToList();
        Assert.Equal(4, sent.Count);
        Assert.All(sent, i =>
        {
            Assert.Equal("SM-ok", i.ProviderMessageId);
            Assert.Equal(app.Time.GetUtcNow(), i.SentAt);
            Assert.Null(i.LeaseOwner);
            Assert.Null(i.LeaseExpiresAt);
            Assert.Equal(1, i.Attempts);
        });
        var retrying = Assert.Single(items, i => i.Status == DeliveryStatus.Pending);
        Assert.Equal("+15550100003", retrying.To);
        Assert.Equal("exception", retrying.ErrorCode);
        Assert.Equal(5, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(1, a.Number));
        Assert.All(attempts.Where(a => a.OutboxItemId != retrying.Id), a =>
        {
            Assert.Equal(AttemptOutcome.Sent, a.Outcome);
            Assert.Equal("SM-ok", a.ProviderMessageId);
            Assert.Equal(app.Time.GetUtcNow(), a.StartedAt);
            Assert.Equal(app.Time.GetUtcNow(), a.FinishedAt);
        });
        Assert.Equal(AttemptOutcome.TransientFailure, attempts.Single(a => a.OutboxItemId == retrying.Id).Outcome);
    }

    [Fact]
    public async Task ADeliveredCallbackThatLandsWhileTheRoundIsSendingKeepsDeliveredAndTheRoundStillRecordsTheSend()
    {
        var tenant = await app.NewTenantAsync();
        var overtaken = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: "+15550207777");
        var other = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: "+15550208888");
        var deliveredAt = app.Time.GetUtcNow();
        // The carrier's "delivered" arrives (and is saved) before the dispatcher has recorded "sent".
        app.Sms.DuringSend = sms => sms.DeliveryId != overtaken ? Task.CompletedTask : app.WithDbAsync(db => db.OutboxItems
            .Where(o => o.Id == overtaken)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, DeliveryStatus.Delivered).SetProperty(o => o.DeliveredAt, deliveredAt)));
        try
        {
            await app.DispatchAsync();
        }
        finally
        {
            app.Sms.DuringSend = null;
        }

        var kept = await ItemAsync(overtaken);
        Assert.Equal(DeliveryStatus.Delivered, kept.Status);
        Assert.Equal(deliveredAt, kept.DeliveredAt);
        Assert.Equal("SM-ok", kept.ProviderMessageId);
        Assert.Equal(app.Time.GetUtcNow(), kept.SentAt);
        Assert.Null(kept.LeaseOwner);
        Assert.Equal(DeliveryStatus.Sent, (await ItemAsync(other)).Status);
        var attempt = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().SingleAsync(a => a.OutboxItemId == overtaken));
        Assert.Equal(AttemptOutcome.Sent, attempt.Outcome);
        Assert.Equal(1, CallsTo(overtaken));
    }

    [Fact]
    public async Task ATransientFailureIsRetriedWithinTenSecondsThenWithDoublingDelaysAndAnAttemptEachTime()
    {
        var tenant = await app.NewTenantAsync();
        app.Sms.Then(Enumerable.Repeat(new SendResult(SendOutcome.Transient, ErrorCode: "30001", ErrorMessage: "queue overflow"), 4).ToArray());
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero);

        var delays = new List<TimeSpan>();
        await app.DispatchAsync();
        for (var i = 0; i < 4; i++)
        {
            var item = await ItemAsync(id);
            if (item.Status == DeliveryStatus.Sent) break;
            Assert.Equal(DeliveryStatus.Pending, item.Status);
            delays.Add(item.AvailableAt - app.Time.GetUtcNow());
            app.Time.Advance(item.AvailableAt - app.Time.GetUtcNow());
            await app.DispatchAsync();
        }

        Assert.Equal(DeliveryStatus.Sent, (await ItemAsync(id)).Status);
        Assert.Equal(5, CallsTo(id));
        Assert.InRange(delays[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.True(delays[3] > delays[0], $"delays should grow: {string.Join(", ", delays)}");
        var attempts = await app.WithDbAsync(db => db.DeliveryAttempts.Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([1, 2, 3, 4, 5], attempts.Select(a => a.Number));
        Assert.Equal(4, attempts.Count(a => a.Outcome == AttemptOutcome.TransientFailure && a.ErrorCode == "30001"));
        Assert.Equal(AttemptOutcome.Sent, attempts[^1].Outcome);
    }

    [Fact]
    public async Task RetryDelaysAreCappedAtTenMinutesAndItGivesUpAfterTenAttempts()
    {
        var tenant = await app.NewTenantAsync();
        var always = new SendResult(SendOutcome.Transient, ErrorCode: "503", ErrorMessage: "unavailable");
        app.Sms.Then(Enumerable.Repeat(always, 10).ToArray());
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero);

        var longest = TimeSpan.Zero;
        await app.DispatchAsync();
        for (var round = 0; round < 12 && (await ItemAsync(id)).Status == DeliveryStatus.Pending; round++)
        {
            var wait = (await ItemAsync(id)).AvailableAt - app.Time.GetUtcNow();
            longest = wait > longest ? wait : longest;
            app.Time.Advance(wait);
            await app.DispatchAsync();
        }

        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Failed, item.Status);
        Assert.Equal(10, item.Attempts);
        Assert.Equal("503", item.ErrorCode);
        Assert.Equal(10, CallsTo(id));
        Assert.InRange(longest, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task APermanentFailureStopsAtOnce()
    {
        var tenant = await app.NewTenantAsync();
        app.Sms.Then(new SendResult(SendOutcome.Permanent, ErrorCode: "21211", ErrorMessage: "invalid 'To' phone number"));
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero);

        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromDays(1));
        await app.DispatchAsync();

        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Failed, item.Status);
        Assert.Equal("21211", item.ErrorCode);
        Assert.Equal(1, CallsTo(id));
    }

    [Fact]
    public async Task ACarrierOptOutFailureOptsTheNumberOut()
    {
        var tenant = await app.NewTenantAsync();
        app.Sms.Then(new SendResult(SendOutcome.Permanent, ErrorCode: "21610", ErrorMessage: "unsubscribed", OptsOut: true));
        await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: "+15550001111");

        await app.DispatchAsync();

        Assert.True(await app.WithDbAsync(db => OptOuts.IsOptedOutAsync(db, tenant.CompanyId, "+15550001111", CancellationToken.None)));
    }

    [Fact]
    public async Task AnItemPastItsExpiryIsExpiredAndNeverSent()
    {
        var tenant = await app.NewTenantAsync();
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.FromMinutes(1), expiresIn: TimeSpan.FromMinutes(30));

        app.Time.Advance(TimeSpan.FromHours(1)); // Casewire was down through the due time and the expiry
        await app.DispatchAsync();

        Assert.Equal(DeliveryStatus.Expired, (await ItemAsync(id)).Status);
        Assert.Equal(0, CallsTo(id));
    }

    [Fact]
    public async Task AnOverdueItemBeforeItsExpiryIsStillSent()
    {
        var tenant = await app.NewTenantAsync();
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.FromMinutes(1), expiresIn: TimeSpan.FromHours(2));

        app.Time.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        Assert.Equal(DeliveryStatus.Sent, (await ItemAsync(id)).Status);
        Assert.Equal(1, CallsTo(id));
    }

    [Fact]
    public async Task AProviderThatThrowsIsRecordedAsATransientFailureAndTheRestOfTheBatchIsSent()
    {
        var tenant = await app.NewTenantAsync();
        app.Sms.ThrowFor["+15559990000"] = true;
        var broken = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: "+15559990000");
        var fine = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero);

        await app.DispatchAsync();

        var item = await ItemAsync(broken);
        Assert.Equal(DeliveryStatus.Pending, item.Status);
        Assert.Equal("exception", item.ErrorCode);
        Assert.True(item.AvailableAt > app.Time.GetUtcNow());
        Assert.Equal(DeliveryStatus.Sent, (await ItemAsync(fine)).Status);
    }

    /// <summary>A dispatcher that died mid-send: the item is leased, its attempt started and never finished.</summary>
    async Task<long> ItemLeftMidSendAsync(int companyId)
    {
        var id = await EnqueueAsync(companyId, TimeSpan.Zero);
        await app.WithDbAsync(async db =>
        {
            var item = await db.OutboxItems.SingleAsync(o => o.Id == id);
            item.Status = DeliveryStatus.Sending;
            item.LeaseOwner = "dead-instance";
            item.LeaseExpiresAt = app.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
            item.Attempts = 1;
            db.DeliveryAttempts.Add(new DeliveryAttempt { OutboxItemId = id, Number = 1, Instance = "dead-instance", StartedAt = app.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        return id;
    }

    [Fact]
    public async Task AnExpiredLeaseWhoseSendReachedTheProviderIsRecordedAsSentNotResent()
    {
        var tenant = await app.NewTenantAsync();
        var id = await ItemLeftMidSendAsync(tenant.CompanyId);
        app.Sms.Has[id] = "SM-already";

        await app.DispatchAsync(); // the lease is still valid: untouched
        var whileLeased = (await ItemAsync(id)).Status;
        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.DispatchAsync();

        Assert.Equal(DeliveryStatus.Sending, whileLeased);
        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Sent, item.Status);
        Assert.Equal("SM-already", item.ProviderMessageId);
        Assert.Equal(0, CallsTo(id));
        var attempt = await app.WithDbAsync(db => db.DeliveryAttempts.SingleAsync(a => a.OutboxItemId == id));
        Assert.Equal(AttemptOutcome.Reconciled, attempt.Outcome);
    }

    [Fact]
    public async Task AnExpiredLeaseWhoseSendNeverReachedTheProviderIsSentOnce()
    {
        var tenant = await app.NewTenantAsync();
        var id = await ItemLeftMidSendAsync(tenant.CompanyId);

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.DispatchAsync();

        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Sent, item.Status);
        Assert.Equal(1, CallsTo(id));
        var outcomes = await app.WithDbAsync(db => db.DeliveryAttempts.Where(a => a.OutboxItemId == id).OrderBy(a => a.Number)
            .Select(a => a.Outcome).ToListAsync());
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.Sent], outcomes);
    }

    [Fact]
    public async Task AnItemClaimedButNotSentAfterAllIsNotCountedAsAnAttempt()
    {
        var tenant = await app.NewTenantAsync();
        var expired = await EnqueueAsync(tenant.CompanyId, TimeSpan.FromMinutes(1), to: "+15550301111", expiresIn: TimeSpan.FromMinutes(2));
        app.Time.Advance(TimeSpan.FromMinutes(3));
        const string sender = "+15550309999"; // its own rate bucket
        var (first, second) = await app.WithDbAsync(async db =>
        {
            var outbox = new Outbox(db, app.Time);
            OutboxItem Text(string to) => outbox.Enqueue(new OutboxItem
            {
                CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = to, From = sender, Body = "Hello", DueAt = app.Time.GetUtcNow(),
            });
            var (a, b) = (Text("+15550302222"), Text("+15550303333"));
            await db.SaveChangesAsync();
            return (a.Id, b.Id);
        });
        app.Sms.MessagesPerSecond = 1;
        try
        {
            await app.DispatchAsync(); // the expired item ends; the second text waits for its sender's next second
            var waiting = await ItemAsync(second);
            var expiredItem = await ItemAsync(expired);
            app.Time.Advance(TimeSpan.FromSeconds(1));
            await app.DispatchAsync();

            Assert.Equal(DeliveryStatus.Expired, expiredItem.Status);
            Assert.Equal(0, expiredItem.Attempts);
            Assert.Equal(DeliveryStatus.Pending, waiting.Status);
            Assert.Equal(0, waiting.Attempts);
        }
        finally
        {
            app.Sms.MessagesPerSecond = null;
        }
        foreach (var id in new[] { first, second })
        {
            Assert.Equal(1, (await ItemAsync(id)).Attempts);
            var attempt = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().SingleAsync(a => a.OutboxItemId == id));
            Assert.Equal((1, AttemptOutcome.Sent), (attempt.Number, attempt.Outcome));
        }
        Assert.False(await app.WithDbAsync(db => db.DeliveryAttempts.AnyAsync(a => a.OutboxItemId == expired)));
    }

    [Fact]
    public async Task ACrashAfterTheClaimIsReconciledAsTheAttemptTheClaimCounted()
    {
        var tenant = await app.NewTenantAsync();
        const string phone = "+15550404444";
        var id = await EnqueueAsync(tenant.CompanyId, TimeSpan.Zero, to: phone);
        app.Sms.ThrowFor[phone] = true;
        try { await app.DispatchAsync(); } // attempt 1: a transient failure
        finally { app.Sms.ThrowFor.TryRemove(phone, out _); }
        // What a dispatcher that died after its claim leaves (Leases.ClaimDueAsync): the item leased and its
        // attempt counted, no attempt row (that is written with the outcome). Did the text leave? Only the provider knows.
        await app.WithDbAsync(async db =>
        {
            var item = await db.OutboxItems.SingleAsync(o => o.Id == id);
            item.Status = DeliveryStatus.Sending;
            item.LeaseOwner = "dead-instance";
            item.LeaseExpiresAt = app.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
            item.Attempts++;
            await db.SaveChangesAsync();
        });

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.DispatchAsync();

        var sent = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(2, CallsTo(id));
        var attempts = await app.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.Equal(["exception", "interrupted", null], attempts.Select(a => a.ErrorCode));
        Assert.Equal([AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.Sent], attempts.Select(a => a.Outcome));
    }
}
