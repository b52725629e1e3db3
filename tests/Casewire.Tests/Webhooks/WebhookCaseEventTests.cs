using System.Net;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": what happens to a case raises an event — a calendar reminder leaving (reminder.sent),
/// a project entering another phase, from the CMS or by a phase mapped in the Company App (project.phase_changed).
/// </summary>
public sealed class WebhookCaseEventTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task AReminderRaisesReminderSentWhenItLeaves()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "reminder.sent");
        var start = DateTimeOffset.FromUnixTimeSeconds(app.Time.GetUtcNow().ToUnixTimeSeconds()) + TimeSpan.FromHours(3);
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", new
        {
            id = "ev-1", projectId = "p1", title = "Deposition", attendees = new[] { "c1" }, startTime = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            reminders = new[] { new { unit = "hour", amount = 1 } },
        })).ExpectAsync(HttpStatusCode.Created);

        await app.DispatchAsync();
        Assert.Empty(Receiver.RequestsTo(hook.Path));
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.DispatchAsync();

        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        WebhookApp.AssertSignedAndAccepted(request);
        Assert.Equal("reminder.sent", request.Type);
        Assert.Equal("ev-1", (string?)request.Data["eventId"]);
        Assert.Equal("p1", (string?)request.Data["projectId"]);
        Assert.Equal("Deposition", (string?)request.Data["title"]);
        Assert.Equal(start, (DateTimeOffset)request.Data["startTime"]!);
        Assert.Equal("hour", (string?)request.Data["reminder"]!["unit"]);
        Assert.Equal(1, (int)request.Data["reminder"]!["amount"]!);
        Assert.Equal("sms", (string?)request.Data["channel"]);
        Assert.Equal(phone, (string?)request.Data["address"]);
        Assert.Equal("c1", (string?)request.Data["contactExternalId"]);
        Assert.Single(app.Twilio.SendsTo(phone));
    }

    [Fact]
    public async Task AProjectEnteringAnotherPhaseRaisesProjectPhaseChangedButItsCreationDoesNot()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant, "project.phase_changed");

        await tenant.ProjectAsync("p2", ["c1"], phase: "Intake");
        await tenant.ProjectAsync("p2", ["c1"], phase: "Treatment");
        await tenant.ProjectAsync("p2", ["c1"], phase: "Treatment"); // the same phase again: no change
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("p2", (string?)data["projectId"]);
        Assert.Equal("Case p2", (string?)data["projectName"]);
        Assert.Equal("Personal Injury", (string?)data["projectType"]!["name"]);
        Assert.Equal("Treatment", (string?)data["partnerPhaseName"]);
        Assert.Equal((0, "Intake"), ((int)data["previousPhase"]!["step"]!, (string?)data["previousPhase"]!["name"]));
        Assert.Equal((1, "Treatment"), ((int)data["phase"]!["step"]!, (string?)data["phase"]!["name"]));
    }

    [Fact]
    public async Task MappingAWaitingCmsPhaseNameInTheCompanyAppRaisesProjectPhaseChanged()
    {
        var (tenant, _, _) = await app.ClientOnProjectAsync(); // p1 in "Personal Injury", phase Intake
        var hook = await app.EndpointAsync(tenant, "project.phase_changed");
        var typeId = await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.SingleAsync(t => t.CompanyId == tenant.CompanyId);
            type.IsLocked = true;
            await db.SaveChangesAsync();
            return type.Id;
        });
        await tenant.ProjectAsync("p1", ["c1"], phase: "Negotiation"); // locked: unmapped, p1 stays in Intake
        await app.DispatchAsync();
        Assert.Empty(Receiver.RequestsTo(hook.Path));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var edits = scope.ServiceProvider.GetRequiredService<Casewire.Milestones.CaseTrackerEdits>();
            Assert.True((await edits.AddPhaseAsync(tenant.CompanyId, typeId, "Settlement", CancellationToken.None)).Saved);
            var db = scope.ServiceProvider.GetRequiredService<Casewire.Data.CasewireDb>();
            var unmapped = await db.UnmappedPhaseNames.SingleAsync(u => u.ProjectTypeId == typeId);
            var settlement = await db.Phases.SingleAsync(p => p.ProjectTypeId == typeId && p.Name == "Settlement");
            Assert.True((await edits.MapUnmappedAsync(tenant.CompanyId, unmapped.Id, settlement.Id, CancellationToken.None)).Saved);
        }
        await app.DispatchAsync();

        var data = Assert.Single(Receiver.RequestsTo(hook.Path)).Data;
        Assert.Equal("p1", (string?)data["projectId"]);
        Assert.Equal("Negotiation", (string?)data["partnerPhaseName"]);
        Assert.Equal("Intake", (string?)data["previousPhase"]!["name"]);
        Assert.Equal((1, "Settlement"), ((int)data["phase"]!["step"]!, (string?)data["phase"]!["name"]));
    }
}
