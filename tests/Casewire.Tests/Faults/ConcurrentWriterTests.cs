using System.Net;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Casewire.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Faults;

/// <summary>
/// SPEC §10 "Concurrent writers never produce a 500 or a double": two updates of one project take turns on its row
/// (one phase-change record, one project.phase_changed); a request that cancels what a dispatcher is claiming ends
/// with one of the two winning. Run on PostgreSQL too (CASEWIRE_TEST_POSTGRES), where the race is real.
/// </summary>
public sealed class ConcurrentWriterTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    const int Trials = 50;

    /// <summary>Runs every one of <paramref name="work"/> at once: each waits on the thread pool until all are ready.</summary>
    static async Task AllAtOnceAsync(params Func<Task>[] work)
    {
        using var ready = new Barrier(work.Length);
        await Task.WhenAll(work.Select(w => Task.Run(async () =>
        {
            ready.SignalAndWait(TimeSpan.FromSeconds(10));
            await w();
        })));
    }

    /// <summary>Runs the requests at once (and the dispatcher with them when asked); returns their statuses.</summary>
    async Task<List<HttpStatusCode>> AllAtOnceAsync(bool dispatching, params Func<Task<HttpResponseMessage>>[] requests)
    {
        var statuses = new HttpStatusCode[requests.Length];
        var work = requests.Select((request, i) => (Func<Task>)(async () => statuses[i] = (await request()).StatusCode)).ToList();
        if (dispatching) work.Add(() => app.DispatchAsync());
        await AllAtOnceAsync([.. work]);
        return [.. statuses];
    }

    static object Project(string externalId, string phase) => new
    {
        externalId, name = "Case " + externalId, partnerPhaseName = phase, clients = new[] { "c1" },
        partnerProjectTypeName = "Personal Injury", milestonesEnabled = true, status = "In Progress",
    };

    [Fact]
    public async Task TwoSimultaneousPutsOfOneProjectRecordOnePhaseChangeAndRaiseOneWebhook()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "project.phase_changed");
        await tenant.ProjectAsync("warm-up", ["c1"], phase: "Treatment"); // both phases exist before the races

        for (var trial = 0; trial < Trials; trial++)
        {
            var id = $"race-{trial}";
            var projectId = await tenant.ProjectAsync(id, ["c1"], phase: "Intake", milestones: true);
            var statuses = await AllAtOnceAsync(dispatching: false,
                () => tenant.Http.PutJsonAsync("/partner/v2/projects", Project(id, "Treatment")),
                () => tenant.Http.PutJsonAsync("/partner/v2/projects", Project(id, "Treatment")));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

            var changes = await app.WithDbAsync(db => db.PhaseChanges.AsNoTracking()
                .CountAsync(c => c.ProjectId == projectId && c.FromPhaseId != null));
            Assert.True(changes == 1, $"trial {trial}: {changes} phase changes recorded");
        }

        await app.DispatchAsync();
        var calls = app.Receiver.RequestsTo(hook.Path).Where(r => ((string?)r.Data["projectId"])!.StartsWith("race-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Trials, calls.Count);
        Assert.Equal(Trials, calls.Select(c => (string?)c.Data["projectId"]).Distinct().Count());
        Assert.All(calls, c =>
        {
            Assert.Equal("Intake", (string?)c.Data["previousPhase"]!["name"]);
            Assert.Equal("Treatment", (string?)c.Data["phase"]!["name"]);
        });
    }

    [Fact]
    public async Task AnAdminMappingACmsNameWhileAPutMovesTheSameProjectRecordsOneChangeFromItsPhaseAndNo500()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        foreach (var phase in new[] { "Treatment", "Settlement" }) await tenant.ProjectAsync("map-warm-up-" + phase, ["c1"], phase: phase);
        var (typeId, intake, treatment) = await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.AsNoTracking().Include(t => t.Phases).SingleAsync(t => t.CompanyId == tenant.CompanyId);
            return (type.Id, type.Phases.Single(p => p.Name == "Intake").Id, type.Phases.Single(p => p.Name == "Treatment").Id);
        });
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<CaseTrackerEdits>()
                .SetLockedAsync(tenant.CompanyId, typeId, locked: true, CancellationToken.None)).Saved);

        for (var trial = 0; trial < Trials; trial++)
        {
            // The project waits in Intake on a CMS name the locked type does not know; the admin maps that name to
            // Treatment while the CMS moves the project on to Settlement.
            var id = $"map-race-{trial}";
            var waitingOn = $"Negotiation {trial}";
            var projectId = await tenant.ProjectAsync(id, ["c1"], phase: "Intake", milestones: true);
            await tenant.PutProjectAsync(Project(id, waitingOn));
            HttpStatusCode put = 0;
            CaseTrackerEdits.Outcome? mapped = null;
            await AllAtOnceAsync(
                async () => put = (await tenant.Http.PutJsonAsync("/partner/v2/projects", Project(id, "Settlement"))).StatusCode,
                async () =>
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    mapped = await scope.ServiceProvider.GetRequiredService<CaseTrackerEdits>()
                        .AddTriggerAsync(tenant.CompanyId, treatment, waitingOn, CancellationToken.None);
                });

            Assert.Equal(HttpStatusCode.OK, put);
            Assert.True(mapped!.Saved, mapped.Error);
            var changes = await app.WithDbAsync(db => db.PhaseChanges.AsNoTracking()
                .Where(c => c.ProjectId == projectId && c.FromPhaseId != null).OrderBy(c => c.Id).ToListAsync());
            Assert.True(changes.Count(c => c.FromPhaseId == intake) == 1, $"trial {trial}: {changes.Count(c => c.FromPhaseId == intake)} changes out of Intake");
            for (var i = 1; i < changes.Count; i++) Assert.Equal(changes[i - 1].ToPhaseId, changes[i].FromPhaseId);
        }
    }

    [Fact]
    public async Task RapidBackAndForthPutsWhileTheDispatcherRunsNeverAnswer500()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        var loop = await tenant.ProjectAsync("loop", ["c1"], phase: "Intake", milestones: true);
        await tenant.ProjectAsync("loop-warm-up", ["c1"], phase: "Treatment");

        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 20; round++)
        {
            var phase = round % 2 == 0 ? "Treatment" : "Intake";
            statuses.AddRange(await AllAtOnceAsync(dispatching: true,
                () => tenant.Http.PutJsonAsync("/partner/v2/projects", Project("loop", "Treatment")),
                () => tenant.Http.PutJsonAsync("/partner/v2/projects", Project("loop", "Intake")),
                () => tenant.Http.PutJsonAsync("/partner/v2/projects", Project("loop", phase))));
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // The history is a chain: each change starts where the one before it ended.
        var changes = await app.WithDbAsync(db => db.PhaseChanges.AsNoTracking()
            .Where(c => c.ProjectId == loop).OrderBy(c => c.Id).ToListAsync());
        for (var i = 1; i < changes.Count; i++) Assert.Equal(changes[i - 1].ToPhaseId, changes[i].FromPhaseId);
    }

    [Fact]
    public async Task CancelingAnEventWhileTheDispatcherClaimsItsDueReminderEndsWithOneWinnerAndNo500()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(app.Time.GetUtcNow().ToUnixTimeSeconds()) + TimeSpan.FromHours(3);
        for (var trial = 0; trial < Trials; trial++)
        {
            await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
            {
                id = $"ev-{trial}", projectId = "p1", title = "Deposition", attendees = new[] { "c1" },
                startTime = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), reminders = new[] { new { unit = "hour", amount = 1 } },
            })).ExpectAsync(HttpStatusCode.Created);
        }
        await app.DispatchAsync();
        app.Time.Advance(TimeSpan.FromHours(2)); // every reminder is due

        for (var trial = 0; trial < Trials; trial++)
        {
            var path = $"/partner/v2/project/p1/calendar-event/ev-{trial}";
            var statuses = await AllAtOnceAsync(dispatching: true, () => tenant.Http.DeleteAsync(path));
            Assert.Equal(HttpStatusCode.NoContent, Assert.Single(statuses));
        }
        app.Time.Advance(TimeSpan.FromMinutes(1)); // past the sender's budget: whatever a round deferred is due again
        await app.DispatchAsync();

        var reminders = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking()
            .Where(o => o.CompanyId == tenant.CompanyId && o.Channel == Channel.Sms && o.To == phone && o.Message!.Kind == MessageKind.Reminder)
            .Select(o => o.Status).ToListAsync());
        Assert.Equal(Trials, reminders.Count);
        // Sent: the dispatcher won. Canceled: the request did. Expired: claimed in flight and then deferred by the
        // sender's budget, it was not sent after the cancel.
        Assert.All(reminders, s => Assert.Contains(s, new[] { DeliveryStatus.Sent, DeliveryStatus.Canceled, DeliveryStatus.Expired }));
        Assert.Equal(reminders.Count(s => s == DeliveryStatus.Sent), app.Twilio.SendsTo(phone).Count);
    }

    [Fact]
    public async Task ACancelThatLosesItsItemToTheDispatchersClaimStandsDown()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var key = $"race:{Guid.NewGuid():N}";
        outbox.Enqueue(new OutboxItem { CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = phone, Body = "Your deposition is tomorrow.", CoalescingKey = key });
        await db.SaveChangesAsync();

        var canceled = await outbox.CancelAsync(tenant.CompanyId, key, CancellationToken.None); // read while pending …
        var claimed = await app.WithDbAsync(other =>
            Leases.ClaimDueAsync(other, Lane.Sms, "other-instance", app.Time.GetUtcNow(),
                app.Time.GetUtcNow().AddMinutes(5), 100, CancellationToken.None)); // … claimed before the cancel is saved
        Assert.Contains(claimed, c => c.Id == Assert.Single(canceled).Id);
        await db.SaveChangesAsync(); // the dispatcher won: no exception

        var stored = await app.WithDbAsync(other => other.OutboxItems.AsNoTracking().SingleAsync(o => o.CoalescingKey == key));
        Assert.Equal(DeliveryStatus.Sending, stored.Status);
        Assert.Equal("other-instance", stored.LeaseOwner);
    }
}
