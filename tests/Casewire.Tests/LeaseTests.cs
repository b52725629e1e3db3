using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Casewire.Tests;

/// <summary>
/// SPEC §10: two instances on one database (SQLite file or PostgreSQL) and one <c>FakeTimeProvider</c>.
/// A slow round renews its leases; a round whose lease was claimed by another instance has its late
/// outcome discarded; a sender number's messages-per-second budget holds across both instances.
/// </summary>
public sealed class LeaseTests(LeaseTests.Instances apps) : IClassFixture<LeaseTests.Instances>
{
    static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    /// <summary>One Casewire instance: its own dispatcher, provider and logs; the database and the clock are the first one's.</summary>
    public sealed class InstanceApp : CasewireApp
    {
        readonly string _name;
        readonly FakeTimeProvider? _sharedClock;

        public InstanceApp(string name) => _name = name;

        public InstanceApp(string name, string sharedConnectionString, FakeTimeProvider sharedClock) : base(sharedConnectionString) =>
            (_name, _sharedClock) = (name, sharedClock);

        /// <summary>The clock both instances run on.</summary>
        public FakeTimeProvider Now => _sharedClock ?? Time;

        protected override TimeProvider Clock => Now;

        internal ScriptedSmsSender Sms { get; } = new();
        public CapturedLogs Logs { get; } = new();

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Delivery:Instance"] = _name;
            settings["Delivery:LeaseDuration"] = LeaseDuration.ToString();
            settings["Delivery:BatchSize"] = "10"; // rounds of both instances share the budget test's texts
        }

        protected override void ConfigureServices(IServiceCollection services)
        {
            Sms.Clock = Now;
            Sms.Otherwise = SendResult.Sent($"SM-{_name}");
            services.AddSingleton<ISmsSender>(Sms);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Warning));
        }

        /// <summary>One round of every lane of this instance's dispatcher; how many items it handled.</summary>
        public Task<int> RoundAsync() => Services.GetRequiredService<Dispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    public sealed class Instances : IAsyncLifetime
    {
        public InstanceApp First { get; private set; } = null!;
        public InstanceApp Second { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            First = new InstanceApp("first");
            await First.InitializeAsync();
            Second = new InstanceApp("second", First.ConnectionString, First.Now);
            await Second.InitializeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    InstanceApp First => apps.First;
    InstanceApp Second => apps.Second;
    FakeTimeProvider Time => apps.First.Now;

    async Task<List<long>> EnqueueAsync(int companyId, int count, string? from = null) => await First.WithDbAsync(async db =>
    {
        var outbox = new Outbox(db, Time);
        var items = Enumerable.Range(0, count).Select(i => outbox.Enqueue(new OutboxItem
        {
            CompanyId = companyId, Channel = Channel.Sms, To = PartnerSetup.UniqueNumber(), From = from, Body = $"Hello {i}", DueAt = Time.GetUtcNow(),
        })).ToList();
        await db.SaveChangesAsync();
        return items.Select(i => i.Id).ToList();
    });

    Task<OutboxItem> ItemAsync(long id) => First.WithDbAsync(db => db.OutboxItems.AsNoTracking().SingleAsync(o => o.Id == id));

    static int CallsTo(InstanceApp app, long id) => app.Sms.Calls.Count(c => c.Sms.DeliveryId == id);

    /// <summary>Holds the first instance's send of <paramref name="id"/> until <paramref name="answer"/> completes; completes the returned task once it is in flight.</summary>
    Task HoldFirstSendOf(long id, Task answer)
    {
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        First.Sms.DuringSend = sms =>
        {
            if (sms.DeliveryId != id) return Task.CompletedTask;
            inFlight.TrySetResult();
            return answer;
        };
        return inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>What the database keeps of an instant (Unix milliseconds on SQLite, microseconds on PostgreSQL).</summary>
    static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);

    /// <summary>Waits (on the real clock, briefly) until the renewal the clock just fired has reached the database.</summary>
    async Task<DateTimeOffset?> LeaseRenewedToAsync(long id, DateTimeOffset until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var expires = (await ItemAsync(id)).LeaseExpiresAt;
            if (expires > until - Precision) return expires;
            Assert.True(DateTime.UtcNow < deadline, $"the lease was not renewed to {until:O} (it expires {expires:O}); warnings: " +
                                                     string.Join("; ", First.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.AllText)));
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task ARoundSlowerThanItsLeaseRenewsItSoAnotherInstanceTakesNothingAndTheTextLeavesOnce()
    {
        var tenant = await First.NewTenantAsync();
        var id = (await EnqueueAsync(tenant.CompanyId, 1)).Single();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = HoldFirstSendOf(id, answer.Task);
        var round = Task.Run(First.RoundAsync);
        try
        {
            await inFlight;
            var claimedUntil = (await ItemAsync(id)).LeaseExpiresAt;
            // The provider answers only after 4/3 of a lease: a renewal every third of a lease keeps it.
            var renewals = new List<DateTimeOffset?>();
            for (var third = 0; third < 4; third++)
            {
                Time.Advance(LeaseDuration / 3);
                renewals.Add(await LeaseRenewedToAsync(id, Time.GetUtcNow() + LeaseDuration));
            }
            var secondHandled = 0;
            for (int handled; (handled = await Second.RoundAsync()) > 0;) secondHandled += handled;

            Assert.True(Time.GetUtcNow() > claimedUntil, "the round outlived the lease it claimed");
            Assert.All(renewals.Select((until, i) => (until, i)), r =>
                Assert.InRange(r.until!.Value - (claimedUntil!.Value + (r.i + 1) * (LeaseDuration / 3)), -Precision, Precision));
            Assert.Equal(0, secondHandled);
        }
        finally
        {
            answer.TrySetResult();
            await round;
            First.Sms.DuringSend = null;
        }

        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Sent, item.Status);
        Assert.Equal("SM-first", item.ProviderMessageId);
        Assert.Equal(1, item.LeaseVersion);
        Assert.Equal((1, 0), (CallsTo(First, id), CallsTo(Second, id)));
        var attempt = await First.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().SingleAsync(a => a.OutboxItemId == id));
        Assert.Equal(("first", AttemptOutcome.Sent), (attempt.Instance, attempt.Outcome));
    }

    [Fact]
    public async Task ALateOutcomeAfterTheLeaseWasClaimedAgainIsDiscardedAndLoggedAndTheNewHolderRecordsTheOnlySend()
    {
        var tenant = await First.NewTenantAsync();
        var id = (await EnqueueAsync(tenant.CompanyId, 1)).Single();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = HoldFirstSendOf(id, answer.Task);
        var round = Task.Run(First.RoundAsync);
        try
        {
            await inFlight;
            // The first instance stalls past its lease without renewing (a long pause, a lost database connection):
            // its lease runs out, and the second reconciles the item (the provider has no record yet) and sends it.
            await First.WithDbAsync(db => db.OutboxItems.Where(o => o.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseExpiresAt, Time.GetUtcNow() - TimeSpan.FromMilliseconds(1))));
            for (int handled; (handled = await Second.RoundAsync()) > 0;) { }
        }
        finally
        {
            answer.TrySetResult(); // the first instance's provider call comes back: "sent"
            await round;
            First.Sms.DuringSend = null;
        }

        var item = await ItemAsync(id);
        Assert.Equal(DeliveryStatus.Sent, item.Status);
        Assert.Equal("SM-second", item.ProviderMessageId);
        Assert.Equal(3, item.LeaseVersion); // claimed by the first, reclaimed expired and claimed due by the second
        Assert.Equal((1, 1), (CallsTo(First, id), CallsTo(Second, id)));
        var attempts = await First.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([(1, "second", AttemptOutcome.TransientFailure), (2, "second", AttemptOutcome.Sent)],
            attempts.Select(a => (a.Number, a.Instance, a.Outcome!.Value)));
        var discarded = Assert.Single(First.Logs.Entries, e => e.Level == LogLevel.Warning && e.Find("DeliveryId") == id.ToString());
        Assert.Contains("Discarded the late outcome", discarded.Message);
    }

    /// <summary>One text left "sending" by an instance that died at its first attempt: its lease ran out a moment ago.</summary>
    async Task<long> OrphanedAsync(int companyId)
    {
        var id = (await EnqueueAsync(companyId, 1)).Single();
        await First.WithDbAsync(db => db.OutboxItems.Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, DeliveryStatus.Sending).SetProperty(o => o.LeaseOwner, "dead")
            .SetProperty(o => o.LeaseExpiresAt, Time.GetUtcNow() - TimeSpan.FromMilliseconds(1))
            .SetProperty(o => o.Attempts, 1).SetProperty(o => o.LeaseVersion, 1)));
        return id;
    }

    /// <summary>Holds the first instance's reconciliation of <paramref name="id"/> until <paramref name="answer"/> completes; completes once it is asking.</summary>
    Task HoldFirstReconcileOf(long id, Task answer)
    {
        var asking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        First.Sms.DuringReconcile = sms =>
        {
            if (sms.DeliveryId != id) return Task.CompletedTask;
            asking.TrySetResult();
            return answer;
        };
        return asking.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AReconciliationSlowerThanItsLeaseRenewsItSoAnotherInstanceTakesNothingAndTheAnswerIsRecordedOnce()
    {
        var tenant = await First.NewTenantAsync();
        var id = await OrphanedAsync(tenant.CompanyId);
        First.Sms.Has[id] = "SM-before-the-crash";
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = HoldFirstReconcileOf(id, answer.Task);
        var round = Task.Run(First.RoundAsync);
        try
        {
            await asking;
            var claimedUntil = (await ItemAsync(id)).LeaseExpiresAt;
            // Twilio answers the list only after 4/3 of a lease: a renewal every third of a lease keeps the item.
            for (var third = 0; third < 4; third++)
            {
                Time.Advance(LeaseDuration / 3);
                await LeaseRenewedToAsync(id, Time.GetUtcNow() + LeaseDuration);
            }
            Assert.True(Time.GetUtcNow() > claimedUntil, "the reconciliation outlived the lease it claimed");
            Assert.Equal(0, await Second.RoundAsync());
        }
        finally
        {
            answer.TrySetResult();
            await round;
            First.Sms.DuringReconcile = null;
        }

        var item = await ItemAsync(id);
        Assert.Equal((DeliveryStatus.Sent, "SM-before-the-crash", 2), (item.Status, item.ProviderMessageId, item.LeaseVersion));
        Assert.Equal((0, 0), (CallsTo(First, id), CallsTo(Second, id)));
        Assert.Equal(0, Second.Sms.Asked.Count(a => a.Sms.DeliveryId == id));
        var attempt = await First.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().SingleAsync(a => a.OutboxItemId == id));
        Assert.Equal(("first", AttemptOutcome.Reconciled), (attempt.Instance, attempt.Outcome));
    }

    [Fact]
    public async Task ALateReconciliationAfterTheLeaseWasClaimedAgainIsDiscardedAndLogged()
    {
        var tenant = await First.NewTenantAsync();
        var id = await OrphanedAsync(tenant.CompanyId);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = HoldFirstReconcileOf(id, answer.Task);
        var round = Task.Run(First.RoundAsync);
        try
        {
            await asking;
            // The first instance stalls past its lease without renewing: the second reconciles the item (not found) and sends it.
            await First.WithDbAsync(db => db.OutboxItems.Where(o => o.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseExpiresAt, Time.GetUtcNow() - TimeSpan.FromMilliseconds(1))));
            for (int handled; (handled = await Second.RoundAsync()) > 0;) { }
        }
        finally
        {
            answer.TrySetResult(); // the first instance's answer comes back: "not found", which would make it due again
            await round;
            First.Sms.DuringReconcile = null;
        }
        for (int handled; (handled = await First.RoundAsync()) > 0;) { }

        var item = await ItemAsync(id);
        Assert.Equal((DeliveryStatus.Sent, "SM-second"), (item.Status, item.ProviderMessageId));
        Assert.Equal((0, 1), (CallsTo(First, id), CallsTo(Second, id)));
        var attempts = await First.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(a => a.OutboxItemId == id).OrderBy(a => a.Number).ToListAsync());
        Assert.Equal([(1, "second", AttemptOutcome.TransientFailure), (2, "second", AttemptOutcome.Sent)],
            attempts.Select(a => (a.Number, a.Instance, a.Outcome!.Value)));
        var discarded = Assert.Single(First.Logs.Entries, e => e.Level == LogLevel.Warning && e.Find("DeliveryId") == id.ToString()
                                                               && e.Message.Contains("Discarded", StringComparison.Ordinal));
        Assert.Contains("Discarded the late reconciliation", discarded.Message);
    }

    [Fact]
    public async Task AnExpiredLeaseTheProviderCannotBeAskedAboutFailsAsOutcomeUnknownWithinTheBoundsAndIsNeverResent()
    {
        var tenant = await First.NewTenantAsync();
        var id = await OrphanedAsync(tenant.CompanyId);
        var due = (await ItemAsync(id)).DueAt;
        First.Sms.CannotBeAsked = Second.Sms.CannotBeAsked = true;
        try
        {
            // Both instances take rounds in turn; the clock moves on to the item's next ask whenever neither has work.
            for (var turn = 0; turn < 100; turn++)
            {
                var (a, b) = turn % 2 == 0 ? (First, Second) : (Second, First);
                if (await a.RoundAsync() + await b.RoundAsync() > 0) continue;
                var item = await ItemAsync(id);
                if (item.Status != DeliveryStatus.Pending) break;
                if (item.AvailableAt > Time.GetUtcNow()) Time.Advance(item.AvailableAt - Time.GetUtcNow());
            }
        }
        finally
        {
            First.Sms.CannotBeAsked = Second.Sms.CannotBeAsked = false;
        }

        var failed = await ItemAsync(id);
        Assert.Equal((DeliveryStatus.Failed, AmbiguousAttempts.OutcomeUnknown), (failed.Status, failed.ErrorCode));
        Assert.Contains("Check the client's phone before resending", failed.ErrorMessage);
        Assert.Equal(10, failed.Attempts); // Delivery:MaxAttempts
        Assert.True(Time.GetUtcNow() - due < TimeSpan.FromHours(24), $"given up {Time.GetUtcNow() - due} after it was due");
        Assert.Equal((0, 0), (CallsTo(First, id), CallsTo(Second, id))); // never sent blind
        Assert.Equal(10, First.Sms.Asked.Count(a => a.Sms.DeliveryId == id) + Second.Sms.Asked.Count(a => a.Sms.DeliveryId == id));
    }

    [Fact]
    public async Task TwoInstancesSendingFromOneNumberShareItsMessagesPerSecond()
    {
        const int texts = 100;
        const double perSecond = 10;
        var tenant = await First.NewTenantAsync();
        var sender = PartnerSetup.UniqueNumber(); // its own budget row
        var ids = await EnqueueAsync(tenant.CompanyId, texts, from: sender);
        First.Sms.MessagesPerSecond = Second.Sms.MessagesPerSecond = perSecond;
        try
        {
            // Both instances take rounds at every instant, in turn; the clock moves on to the next due text when neither has work.
            for (var turn = 0; turn < 10 * texts; turn++)
            {
                var (a, b) = turn % 2 == 0 ? (First, Second) : (Second, First);
                if (await a.RoundAsync() + await b.RoundAsync() > 0) continue;
                var next = await First.WithDbAsync(db => db.OutboxItems.Where(o => ids.Contains(o.Id) && o.Status == DeliveryStatus.Pending)
                    .OrderBy(o => o.AvailableAt).Select(o => (DateTimeOffset?)o.AvailableAt).FirstOrDefaultAsync());
                if (next is null) break;
                if (next > Time.GetUtcNow()) Time.Advance(next.Value - Time.GetUtcNow());
            }
        }
        finally
        {
            First.Sms.MessagesPerSecond = Second.Sms.MessagesPerSecond = null;
        }

        var sends = First.Sms.Calls.Concat(Second.Sms.Calls).Where(c => ids.Contains(c.Sms.DeliveryId)).OrderBy(c => c.At).ToList();
        Assert.Equal(ids.Order(), sends.Select(s => s.Sms.DeliveryId).Order()); // each text once
        var byFirst = First.Sms.Calls.Count(c => ids.Contains(c.Sms.DeliveryId));
        Assert.InRange(byFirst, 1, texts - 1); // both instances sent
        var gaps = sends.Zip(sends.Skip(1), (x, y) => y.At - x.At).ToList();
        var span = sends[^1].At - sends[0].At;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{texts} texts at {perSecond}/s from one number, two instances ({byFirst} by the first): first to last {span.TotalSeconds:0.000} s, " +
            $"shortest gap {gaps.Min().TotalMilliseconds:0} ms");
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromSeconds(1 / perSecond), $"two texts {gap.TotalMilliseconds} ms apart"));
        Assert.True(span >= TimeSpan.FromSeconds((texts - 1) / perSecond), $"{texts} texts in {span}");
        Assert.All(await First.WithDbAsync(db => db.OutboxItems.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync()),
            o => Assert.Equal(DeliveryStatus.Sent, o.Status));
    }
}
