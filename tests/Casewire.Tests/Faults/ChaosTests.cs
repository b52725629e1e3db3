using System.Diagnostics;
using System.Globalization;
using System.Net;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Faults;

/// <summary>
/// SPEC §7, §10, issue 15's chaos test: two Casewire instances as separate OS processes on one database (PostgreSQL,
/// or one SQLite file), 2,000 texts accepted through send-message, a real fake Twilio injecting every fault at
/// random from one seed, and one instance killed with SIGKILL midway and restarted. Afterwards every text is at
/// the fake exactly once, or failed where the fake refused it: no duplicate, none lost. The seed is printed;
/// <c>CASEWIRE_CHAOS_SEED</c> replays a run.
/// </summary>
public sealed class ChaosTests : IAsyncLifetime
{
    const int Projects = 40, TextsPerProject = 50; // one client each: a number gets 50 texts, within a reconcile's three pages of 50
    static readonly TimeSpan Converge = TimeSpan.FromSeconds(110);

    /// <summary>The database, migrated and seeded in-process; its dispatcher does not run (the two processes send).</summary>
    sealed class Database : CasewireApp
    {
        protected override TimeProvider Clock => TimeProvider.System;
    }

    readonly Database _database = new();
    FakeTwilio _twilio = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        _twilio = await FakeTwilio.StartAsync(TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _twilio.DisposeAsync();
        await _database.DisposeAsync();
    }

    static int SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("CASEWIRE_CHAOS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    Dictionary<string, string> Settings(string instance) => new()
    {
        ["Database:Provider"] = CasewireApp.OnPostgres ? "Postgres" : "Sqlite",
        ["ConnectionStrings:Casewire"] = _database.ConnectionString,
        ["Sms:Provider"] = "Twilio",
        ["Twilio:AccountSid"] = FakeTwilio.AccountSid,
        ["Twilio:AuthToken"] = FakeTwilio.AuthToken,
        ["Twilio:From"] = FakeTwilio.From,
        ["Twilio:BaseUrl"] = _twilio.BaseUrl,
        ["Twilio:RequestTimeout"] = "00:00:01", // a lost reply costs a second
        // The sender budget still shapes every send (one number, shared by both instances in the database), but a round
        // may only send the slots due within a millisecond: at 50,000 a second that is 50 a round, so 2,000 texts drain
        // in well under two minutes (at Twilio's default 1 a second they would take half an hour).
        ["Twilio:MessagesPerSecond"] = "50000",
        ["Webhooks:Timeout"] = "00:00:02",
        ["Delivery:Instance"] = instance,
        ["Delivery:LeaseDuration"] = "00:00:04", // the killed instance's texts are reconciled 4 s on
        ["Delivery:FirstRetryDelay"] = "00:00:00.200",
        ["Delivery:MaxRetryDelay"] = "00:00:03", // Retry-After 1-3 s honoured, backoff converges
        ["Delivery:MaxIdle"] = "00:00:01",
        ["RateLimit:PermitsPerMinute"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Casewire"] = "Error",
    };

    [Fact]
    public async Task TwoInstancesOneKilledMidwayUnderRandomTwilioFaultsSendEveryAcceptedTextExactlyOnce()
    {
        var seed = SeedFromEnvironment();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"chaos seed {seed} (replay: CASEWIRE_CHAOS_SEED={seed}); database: {(CasewireApp.OnPostgres ? "PostgreSQL" : "SQLite")}");
        var clock = Stopwatch.StartNew();

        var tenant = await _database.NewTenantAsync();
        await _database.WithDbAsync(db => db.Companies.Where(c => c.Id == tenant.CompanyId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeliveryWindow, DeliveryWindow.Immediate)));

        var chaos = new TwilioChaos(seed);
        await using var a = await CasewireProcess.StartAsync(Settings("chaos-a"));
        var b = await CasewireProcess.StartAsync(Settings("chaos-b"));
        CasewireProcess? restarted = null;
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", tenant.Token);
            var client = tenant with { Http = api };
            await Parallel.ForEachAsync(Enumerable.Range(0, Projects), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, _) =>
            {
                await client.ContactAsync($"c{p}", PartnerSetup.UniqueNumber());
                await client.ProjectAsync($"p{p}", [$"c{p}"]);
            });
            _twilio.Chaos = chaos; // the set-up is done: from here on Twilio misbehaves
            output?.WriteLine($"set-up (two processes, {Projects} projects) took {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Restart();

            // 2,000 texts through the instance that stays up, eight at a time, while both dispatchers send.
            var accepted = 0;
            var prefix = $"Chaos {seed} text ";
            var posting = Parallel.ForEachAsync(Enumerable.Range(0, Projects * TextsPerProject), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, ct) =>
                {
                    var response = await api.PostJsonAsync("/partner/v2/send-message",
                        new { projectId = $"p{i % Projects}", text = prefix + i });
                    Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
                    Interlocked.Increment(ref accepted);
                });

            // Midway, the second instance dies mid-round: SIGKILL, nothing released. It comes back as a new process.
            var total = Projects * TextsPerProject;
            while (_twilio.Messages.Count < total * 2 / 5)
            {
                Assert.True(clock.Elapsed < Converge, $"only {_twilio.Messages.Count} texts reached the fake, {accepted} accepted, after {clock.Elapsed}; b: {b.Output(10)}");
                await Task.Delay(20);
            }
            b.Kill();
            var killedAt = _twilio.Messages.Count;
            restarted = await CasewireProcess.StartAsync(Settings("chaos-b-restarted"));
            await posting;
            Assert.Equal(total, accepted);

            // Every text ends sent (or delivered) or failed; none is left waiting.
            List<OutboxItem> items;
            while (true)
            {
                items = await _database.WithDbAsync(db => db.OutboxItems.AsNoTracking()
                    .Where(o => o.CompanyId == tenant.CompanyId && o.Body.StartsWith(prefix)).ToListAsync());
                var open = items.Count(o => o.Status is DeliveryStatus.Pending or DeliveryStatus.Sending);
                if (items.Count == total && open == 0) break;
                Assert.True(clock.Elapsed < Converge + TimeSpan.FromSeconds(10),
                    $"{open} of {items.Count} texts still open after {clock.Elapsed}; a: {a.Output(10)}\nb: {restarted.Output(10)}");
                await Task.Delay(200);
            }

            var atFake = _twilio.Messages.GroupBy(m => (m.To, m.Body)).ToDictionary(g => g.Key, g => g.Count());
            var refused = chaos.RefusedSends.ToHashSet();
            var duplicates = atFake.Values.Sum(n => n - 1);
            var delivered = items.Where(o => o.Status is DeliveryStatus.Sent or DeliveryStatus.Delivered).ToList();
            var failed = items.Where(o => o.Status == DeliveryStatus.Failed).ToList();
            // The only end but "sent" a text may have here: the fake refused it as an invalid number (21211), and it is not at the fake.
            bool RefusedRightly(OutboxItem o) => o.ErrorCode == "21211" && refused.Contains((o.To, o.Body)) && !atFake.ContainsKey((o.To, o.Body));
            var lost = delivered.Count(o => !atFake.ContainsKey((o.To, o.Body)))
                       + failed.Count(o => !RefusedRightly(o));
            var attempts = await _database.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking()
                .Where(x => items.Select(o => o.Id).Contains(x.OutboxItemId)).GroupBy(x => x.Instance).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count));

            output?.WriteLine($"messages accepted {accepted}, at the fake {atFake.Count} ({_twilio.Requests.Count(r => r.IsSend)} send requests, " +
                              $"{_twilio.Requests.Count(r => r.IsList)} list requests); sent {delivered.Count}, failed {failed.Count} " +
                              $"(refused by the fake {refused.Count}, outcome unknown {failed.Count(o => o.ErrorCode == "outcome-unknown")})");
            output?.WriteLine("faults injected: " + string.Join(", ", chaos.Injected.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}")));
            output?.WriteLine($"instance b killed after {killedAt} texts had reached the fake; attempts by instance: " +
                              string.Join(", ", attempts.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}")));
            output?.WriteLine($"duplicates {duplicates}, lost {lost}; seed {seed}; {clock.Elapsed.TotalSeconds:0.0} s");
            var lostIds = failed.Where(o => !RefusedRightly(o)).Select(o => o.Id)
                .Concat(delivered.Where(o => !atFake.ContainsKey((o.To, o.Body))).Select(o => o.Id)).ToList();
            var history = await _database.WithDbAsync(db => db.DeliveryAttempts.AsNoTracking().Where(x => lostIds.Contains(x.OutboxItemId))
                .OrderBy(x => x.OutboxItemId).ThenBy(x => x.Id).ToListAsync());
            foreach (var h in history.Take(40)) // a lost text's attempts, for the failure's reader
                output?.WriteLine($"  lost: delivery {h.OutboxItemId} #{h.Number} {h.Instance} {h.StartedAt:HH:mm:ss.fff}-{h.FinishedAt:HH:mm:ss.fff} {h.Outcome} {h.ErrorCode} {h.ErrorMessage}");

            Assert.Equal(0, duplicates);
            Assert.Equal(0, lost);
            Assert.Equal(total, delivered.Count + failed.Count);
            Assert.All(delivered, o => Assert.Equal(1, atFake.GetValueOrDefault((o.To, o.Body))));
            Assert.All(failed, o => Assert.True(RefusedRightly(o), $"delivery {o.Id} failed with {o.ErrorCode}: {o.ErrorMessage}"));
            Assert.True(attempts.GetValueOrDefault("chaos-b") > 0, "the killed instance had sent before it died");
            foreach (var instance in new[] { a, restarted })
                Assert.Contains("SMS: Twilio", instance.Head, StringComparison.Ordinal); // the banner names the provider the process chose
            Assert.True(await _database.WithDbAsync(db => db.SenderBudgets.AnyAsync()), "the texts went through the shared sender budget");
            Assert.True(attempts.GetValueOrDefault("chaos-a") > 0 && attempts.GetValueOrDefault("chaos-b-restarted") > 0, "both live instances sent");
            foreach (var kind in new[] { TwilioChaos.LostReply, TwilioChaos.Reset, TwilioChaos.BadGateway, TwilioChaos.RateLimited, TwilioChaos.ListFailed })
                Assert.True(chaos.Injected.GetValueOrDefault(kind) > 0, $"no '{kind}' was injected");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the chaos run took {clock.Elapsed}");
        }
        finally
        {
            _twilio.Chaos = null;
            await b.DisposeAsync();
            if (restarted is not null) await restarted.DisposeAsync();
        }
    }
}
