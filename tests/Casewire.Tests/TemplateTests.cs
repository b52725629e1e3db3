using Casewire.Delivery;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// SPEC §6: notification texts with placeholders, checked when they are saved (an unknown placeholder
/// is refused there, by name) so that sending never fails, with the SMS segment count visible.
/// </summary>
public sealed class TemplateTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static readonly TemplateValues Ann = new("Ann", "Lee", "Lee v. Acme", "Discovery", "Acme Law", "https://cw.example/portal/abc");

    static Template Parse(string text)
    {
        Assert.True(Template.TryParse(text, out var template, out var errors), string.Join(" ", errors));
        return template;
    }

    static IReadOnlyList<string> ErrorsOf(string text)
    {
        Assert.False(Template.TryParse(text, out _, out var errors));
        return errors;
    }

    [Fact]
    public void EveryPlaceholderIsFilled() => Assert.Equal(
        "Ann Lee: Lee v. Acme is in Discovery. Acme Law https://cw.example/portal/abc",
        Parse("{client.firstName} {client.lastName}: {project.name} is in {phase.name}. {company.name} {portal.link}").Render(Ann));

    [Fact]
    public void PlaceholderNamesMatchIgnoringCaseAndSpaces() =>
        Assert.Equal("Hi Ann, Acme Law", Parse("Hi { Client.FirstName }, {COMPANY.NAME}").Render(Ann));

    [Fact]
    public void DoubledBracesAreLiteralBraces() =>
        Assert.Equal("{not a placeholder} Ann", Parse("{{not a placeholder}} {client.firstName}").Render(Ann));

    [Fact]
    public void AnUnknownPlaceholderIsRefusedByName()
    {
        var error = Assert.Single(ErrorsOf("Hi {client.middleName}, see {portal.link}"));

        Assert.Contains("{client.middleName}", error);
        Assert.Contains("{client.firstName}", error); // says what is accepted
    }

    [Theory]
    [InlineData("Hi {client.firstName", "'{'")]
    [InlineData("Hi {client.firstName {project.name}", "'{'")]
    [InlineData("Hi client.firstName}", "'}'")]
    [InlineData("Hi {}", "Empty placeholder")]
    public void AnUnbalancedOrEmptyBraceIsRefused(string text, string explained) =>
        Assert.Contains(explained, Assert.Single(ErrorsOf(text)));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyTextIsRefused(string text) => Assert.Contains("empty", Assert.Single(ErrorsOf(text)));

    [Fact]
    public void AStoredTextThatIsNotValidStillRendersItsUnknownPartsAsWritten() =>
        Assert.Equal("Hi Ann {client.middleName} {", Template.FromStored("Hi {client.firstName} {client.middleName} {").Render(Ann));

    [Fact]
    public void ARenderedTextIsCutToTheLengthOfAMessage()
    {
        var longName = Ann with { ProjectName = new string('x', 1000) };

        var text = Parse("{project.name} {project.name}").Render(longName);

        Assert.Equal(Limits.MessageText, text.Length);
        Assert.EndsWith("…", text);
    }

    [Theory]
    [InlineData("{project.name} {project.name}: {portal.link} {project.name}", "after")] // the words after the link go first
    [InlineData("{project.name} {project.name} {project.name}: see {portal.link}", "before")] // the link ends the text: the words before it go
    public void ATextOverTheLimitLosesWordsButNeverItsPortalLink(string text, string cut)
    {
        var longName = Ann with { ProjectName = new string('x', 700) };

        var rendered = Parse(text).Render(longName);

        Assert.True(rendered.Length <= Limits.MessageText, $"{rendered.Length} characters");
        Assert.Contains(Ann.PortalLink + (cut == "after" ? " x" : ""), rendered);
        if (cut == "after") Assert.EndsWith("x…", rendered);
        else Assert.EndsWith("… " + Ann.PortalLink, rendered);
    }

    [Fact]
    public void TheDefaultTextsAreValidAndNameWhatTheSpecAsks()
    {
        Assert.Equal("Hi Ann, this is Acme Law. We will text you updates on Lee v. Acme here. Follow your case: https://cw.example/portal/abc Reply STOP to opt out.",
            Parse(DefaultTexts.Welcome).Render(Ann));
        Assert.Contains("Discovery", Parse(DefaultTexts.PhaseChange).Render(Ann));
    }

    // ---- saving (what the Company App will call) ----

    async Task<(CasewireApp.Tenant Tenant, int PhaseId, int TypeId)> LearnedPhaseAsync()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: "+15551234567");
        await tenant.ProjectAsync("p1", ["c1"], phase: "Discovery");
        var phase = await app.WithDbAsync(db => db.Phases.AsNoTracking()
            .SingleAsync(p => p.Name == "Discovery" && db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == tenant.CompanyId)));
        return (tenant, phase.Id, phase.ProjectTypeId);
    }

    async Task<T> WithTemplatesAsync<T>(Func<MilestoneTemplates, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MilestoneTemplates>());
    }

    [Fact]
    public async Task APhaseMessageWithAnUnknownPlaceholderIsRefusedAtSaveAndNothingChanges()
    {
        var (tenant, phaseId, _) = await LearnedPhaseAsync();

        var outcome = await WithTemplatesAsync(t => t.SetPhaseMessageAsync(tenant.CompanyId, phaseId, "Hi {client.nickname}!", CancellationToken.None));

        Assert.False(outcome.Saved);
        Assert.Contains("{client.nickname}", Assert.Single(outcome.Errors));
        Assert.Null(await app.WithDbAsync(db => db.Phases.Where(p => p.Id == phaseId).Select(p => p.MessageTemplate).SingleAsync()));
    }

    [Fact]
    public async Task ASavedPhaseMessageShowsItsSampleAndSegmentCount()
    {
        var (tenant, phaseId, _) = await LearnedPhaseAsync();

        var outcome = await WithTemplatesAsync(t => t.SetPhaseMessageAsync(tenant.CompanyId, phaseId,
            "Hi {client.firstName}, your case is now in {phase.name}. Track it: {portal.link}", CancellationToken.None));

        Assert.True(outcome.Saved, string.Join(" ", outcome.Errors));
        Assert.Matches("^Hi Maria, your case is now in Discovery. Track it: http://localhost:5000/p/[A-Za-z0-9]{10}$", outcome.Preview!.Text);
        Assert.Equal(SmsSegments.Count(outcome.Preview.Text), outcome.Preview.Segments);
        Assert.Equal(1, outcome.Preview.Segments); // a short link (SPEC §11) of real length
        Assert.Equal("Hi {client.firstName}, your case is now in {phase.name}. Track it: {portal.link}",
            await app.WithDbAsync(db => db.Phases.Where(p => p.Id == phaseId).Select(p => p.MessageTemplate).SingleAsync()));
    }

    [Fact]
    public async Task AWelcomeWithAnUnbalancedBraceIsRefusedAndNullRestoresTheDefault()
    {
        var (tenant, _, typeId) = await LearnedPhaseAsync();

        var refused = await WithTemplatesAsync(t => t.SetWelcomeAsync(tenant.CompanyId, typeId, "Welcome {client.firstName", CancellationToken.None));
        var saved = await WithTemplatesAsync(t => t.SetWelcomeAsync(tenant.CompanyId, typeId, "Welcome, {client.firstName}!", CancellationToken.None));
        var restored = await WithTemplatesAsync(t => t.SetWelcomeAsync(tenant.CompanyId, typeId, null, CancellationToken.None));

        Assert.False(refused.Saved);
        Assert.True(saved.Saved);
        Assert.True(restored.Saved);
        Assert.StartsWith("Hi Maria, this is Firm ", restored.Preview!.Text);
        Assert.Null(await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.Id == typeId).Select(t => t.WelcomeTemplate).SingleAsync()));
    }

    [Fact]
    public async Task AnotherCompanysPhaseCannotBeEdited()
    {
        var (_, phaseId, _) = await LearnedPhaseAsync();
        var other = await app.NewTenantAsync();

        var outcome = await WithTemplatesAsync(t => t.SetPhaseMessageAsync(other.CompanyId, phaseId, "Hi", CancellationToken.None));

        Assert.False(outcome.Saved);
        Assert.Null(await app.WithDbAsync(db => db.Phases.Where(p => p.Id == phaseId).Select(p => p.MessageTemplate).SingleAsync()));
    }

    [Theory]
    [InlineData(0, null, 1, "afterDays")]
    [InlineData(7, null, 3, "repeatEveryDays")]
    [InlineData(7, 0, 3, "repeatEveryDays")]
    [InlineData(7, 7, 11, "maxTimes")]
    public async Task ADripWithBadTimingIsRefused(int afterDays, int? repeatEveryDays, int maxTimes, string explained)
    {
        var (tenant, phaseId, _) = await LearnedPhaseAsync();

        var outcome = await WithTemplatesAsync(t => t.AddDripAsync(tenant.CompanyId, phaseId,
            new MilestoneTemplates.DripRequest(afterDays, "Any news, {client.firstName}?", repeatEveryDays, maxTimes), CancellationToken.None));

        Assert.False(outcome.Saved);
        Assert.Contains(outcome.Errors, e => e.Contains(explained));
        Assert.False(await app.WithDbAsync(db => db.PhaseDrips.AnyAsync(d => d.PhaseId == phaseId)));
    }

    [Fact]
    public async Task ADripWithAnUnknownPlaceholderIsRefused()
    {
        var (tenant, phaseId, _) = await LearnedPhaseAsync();

        var outcome = await WithTemplatesAsync(t => t.AddDripAsync(tenant.CompanyId, phaseId,
            new MilestoneTemplates.DripRequest(7, "Reminder: {case.number}"), CancellationToken.None));

        Assert.Contains("{case.number}", Assert.Single(outcome.Errors));
    }
}
