using System.Net;
using System.Text.RegularExpressions;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Feedback;

/// <summary>
/// SPEC §13 where people see it: the client portal's survey (0–10 buttons and a comment) and its words in the
/// client's language; the dashboard's NPS card and its "needs attention" list of unhappy clients until handled;
/// the firm's feedback settings on the Settings page.
/// </summary>
public sealed class FeedbackPagesTests(FeedbackApp app) : IClassFixture<FeedbackApp>
{
    /// <summary>A firm whose client Ana has an open survey on her completed case; returns her portal path.</summary>
    async Task<(CasewireApp.Tenant Tenant, string Sender, string Phone, string PortalPath)> SurveyedAsync(string? language = null)
    {
        var (tenant, sender) = await app.FirmAsync(surveyOnCompletion: true);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana", language: language);
        var projectId = (int)(await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]))["id"]!;
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], status: "Completed");
        await app.DrainAsync();
        var contactId = await app.WithDbAsync(db => db.Contacts.Where(c => c.CompanyId == tenant.CompanyId).Select(c => c.Id).SingleAsync());
        return (tenant, sender, phone, await app.PortalPathAsync(tenant.CompanyId, projectId, contactId));
    }

    [Fact]
    public async Task ThePortalShowsTheOpenSurveyAndRecordsTheAnswer()
    {
        var (tenant, _, _, path) = await SurveyedAsync();
        var browser = app.ClientBrowser();
        var page = await browser.GetPageAsync(path);
        Assert.Contains("How likely are you to recommend Acme Law to a friend?", page);
        for (var score = 0; score <= 10; score++) Assert.Contains($"name=\"Score\" value=\"{score}\"", page);

        var refused = await browser.PostFormAsync(path + "?handler=Survey", new() { ["Comment"] = "no score" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Please choose a number from 0 to 10.", await refused.Content.ReadAsStringAsync());
        Assert.Null(Assert.Single(await app.SurveysAsync(tenant.CompanyId)).Score);

        var sent = await browser.PostFormAsync(path + "?handler=Survey", new() { ["Score"] = "4", ["Comment"] = "  Too slow  " });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var survey = Assert.Single(await app.SurveysAsync(tenant.CompanyId));
        Assert.Equal((4, "Too slow", "portal"), (survey.Score!.Value, survey.Comment, survey.AnsweredVia));
        var after = await browser.GetPageAsync(path);
        Assert.DoesNotContain("name=\"Score\"", after);
        Assert.Contains("Thank you for your answer.", after);
    }

    [Fact]
    public async Task ThePortalSpeaksTheClientsLanguage()
    {
        var (_, _, _, path) = await SurveyedAsync(language: "es");
        // Razor writes accented letters as character references (&#xE9;): compare the text a browser shows.
        var page = WebUtility.HtmlDecode(await app.ClientBrowser().GetPageAsync(path));
        Assert.Contains("<html lang=\"es\">", page);
        Assert.Contains("En qué punto está su caso", page);
        Assert.Contains("¿Qué probabilidad hay de que recomiende Acme Law a un amigo?", page);
        Assert.Contains("Enviar mensaje", page);
        Assert.Contains("Enviar documento", page);
        Assert.DoesNotContain("Send a document", page);
        Assert.DoesNotContain("Where your case stands", page);
    }

    [Fact]
    public async Task ADetractorWaitsOnTheDashboardUntilHandledAndTheNpsCardCountsIt()
    {
        var (tenant, sender, phone, _) = await SurveyedAsync();
        await app.TextInAsync(phone, sender, "2 never heard back");
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var (other, _) = await app.FirmAsync();
        var otherStaff = await StaffSession.SignedInAsync(app, other.CompanyId);

        var dashboard = await staff.GetPageAsync("/");
        Assert.Contains("data-list=\"detractors\"", dashboard);
        Assert.Contains("never heard back", dashboard);
        Assert.Contains("data-stat=\"nps\">-100<", dashboard);
        Assert.DoesNotContain("never heard back", await otherStaff.GetPageAsync("/"));

        var surveyId = (await app.SurveysAsync(tenant.CompanyId)).Single().Id;
        await otherStaff.PostFormAsync("/?handler=Handled", new() { ["surveyId"] = surveyId.ToString() });
        Assert.Null(Assert.Single(await app.SurveysAsync(tenant.CompanyId)).HandledAt); // another firm cannot handle it
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync("/?handler=Handled", new() { ["surveyId"] = surveyId.ToString() })).StatusCode);
        Assert.NotNull(Assert.Single(await app.SurveysAsync(tenant.CompanyId)).HandledAt);
        // Gone from "needs attention" (the words stay under the unread replies until someone reads them).
        var after = await staff.GetPageAsync("/");
        var detractors = Regex.Match(after, "data-list=\"detractors\">(.*?)</ul>", RegexOptions.Singleline);
        Assert.DoesNotContain("never heard back", detractors.Success ? detractors.Groups[1].Value : "");
    }

    [Fact]
    public async Task TheSettingsPageSetsTheLanguageTheSurveyDefaultAndTheReviewLink()
    {
        var (tenant, _) = await app.FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = "Acme Law", ["Form.TimeZone"] = "America/New_York", ["Form.Region"] = "US", ["Form.DeliveryWindow"] = "immediate",
            ["Form.WindowStart"] = "08:00", ["Form.WindowEnd"] = "20:00", ["Form.Language"] = "es", ["Form.SurveyOnCompletion"] = "true",
            ["Form.ReviewUrl"] = "not a url",
        };
        var refused = await admin.PostFormAsync("/settings", fields);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Review link &#x27;not a url&#x27; is not an absolute http(s) URL", await refused.Content.ReadAsStringAsync());
        Assert.Equal("en", await app.WithDbAsync(db => db.Companies.Where(c => c.Id == tenant.CompanyId).Select(c => c.Language).SingleAsync()));

        fields["Form.ReviewUrl"] = "https://g.page/r/acme/review";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/settings", fields)).StatusCode);
        var company = await app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Id == tenant.CompanyId));
        Assert.Equal(("es", true, "https://g.page/r/acme/review"), (company.Language, company.SurveyOnCompletion, company.ReviewUrl));
    }

    [Fact]
    public async Task TheProjectTypePageChoosesSurveyPhasesAndSavesSpanishTextsAllOrNothing()
    {
        var (tenant, _) = await app.FirmAsync();
        await FeedbackApp.ClientAsync(tenant, "seed");
        await FeedbackApp.CaseAsync(tenant, "seed", ["seed"], milestones: false);
        var (typeId, phaseId) = await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.Include(t => t.Phases).SingleAsync(t => t.CompanyId == tenant.CompanyId);
            return (type.Id, type.Phases.Single().Id);
        });
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/project-types/{typeId}";

        var refused = await admin.PostFormAsync(path + "?handler=Feedback", new()
        {
            ["completion"] = "yes", ["surveyPhases"] = phaseId.ToString(), [$"phaseEs[{phaseId}]"] = "Hola {client.apodo}",
        }, path);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Unknown placeholder {client.apodo}", await refused.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.Phases.Where(p => p.Id == phaseId).Select(p => p.SendsSurvey).SingleAsync()));

        var saved = await admin.PostFormAsync(path + "?handler=Feedback", new()
        {
            ["completion"] = "yes", ["surveyPhases"] = phaseId.ToString(), [$"phaseEs[{phaseId}]"] = "Hola {client.firstName}, su caso avanza.",
        }, path);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Phases.Where(p => p.Id == phaseId).Select(p => p.SendsSurvey).SingleAsync()));
        Assert.True(await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.Id == typeId).Select(t => t.SurveyOnCompletion).SingleAsync()));
        Assert.Equal("Hola {client.firstName}, su caso avanza.", await app.WithDbAsync(db =>
            db.LocalizedTexts.Where(t => t.CompanyId == tenant.CompanyId && t.Key == $"phase:{phaseId}" && t.Language == "es").Select(t => t.Text).SingleAsync()));
        Assert.Contains("Hola {client.firstName}, su caso avanza.", await admin.GetPageAsync(path));

        var (other, _) = await app.FirmAsync();
        var stranger = await StaffSession.SignedInAsync(app, other.CompanyId);
        await stranger.GetPageAsync(path, HttpStatusCode.NotFound);
    }
    [Fact]
    public async Task TheProjectTypePageSavesSpanishDripsAllOrNothingAndASpanishClientsDripUsesThem()
    {
        var (tenant, _) = await app.FirmAsync();
        await FeedbackApp.ClientAsync(tenant, "seed");
        await FeedbackApp.CaseAsync(tenant, "seed", ["seed"], milestones: false);
        var (typeId, phaseId, dripId) = await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.Include(t => t.Phases).SingleAsync(t => t.CompanyId == tenant.CompanyId);
            var phase = type.Phases.Single();
            var drip = db.PhaseDrips.Add(new Casewire.Model.PhaseDrip
            {
                PhaseId = phase.Id, AfterDays = 3, Template = "Hi {client.firstName}, any questions about {project.name}? Reply here.",
                CreatedAt = app.Time.GetUtcNow(),
            }).Entity;
            await db.SaveChangesAsync();
            return (type.Id, phase.Id, drip.Id);
        });
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/project-types/{typeId}";
        Assert.Contains($"name=\"dripEs[{dripId}]\"", await admin.GetPageAsync(path));
        const string spanish = "Hola {client.firstName}, ¿alguna pregunta sobre {project.name}? Responda aquí.";

        // A bad drip text refuses the whole form: the phase's good Spanish text is not saved either.
        var refused = await admin.PostFormAsync(path + "?handler=Feedback", new()
        {
            ["completion"] = "default", [$"phaseEs[{phaseId}]"] = "Hola {client.firstName}, su caso avanza.", [$"dripEs[{dripId}]"] = "Hola {client.apodo}",
        }, path);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedPage = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"id=""drip-es-\d+""[^>]*>Hola \{client.apodo\}</textarea>[\s\S]*?Unknown placeholder \{client.apodo\}", refusedPage);
        Assert.False(await app.WithDbAsync(db => db.LocalizedTexts.AnyAsync(t => t.CompanyId == tenant.CompanyId)));

        var saved = await admin.PostFormAsync(path + "?handler=Feedback", new() { ["completion"] = "default", [$"dripEs[{dripId}]"] = spanish }, path);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(spanish, await app.WithDbAsync(db =>
            db.LocalizedTexts.Where(t => t.CompanyId == tenant.CompanyId && t.Key == $"drip:{dripId}" && t.Language == "es").Select(t => t.Text).SingleAsync()));
        Assert.Contains(spanish, WebUtility.HtmlDecode(await admin.GetPageAsync(path)));

        // A stranger's post to this firm's type changes nothing.
        var (other, _) = await app.FirmAsync();
        var stranger = await StaffSession.SignedInAsync(app, other.CompanyId);
        var hostile = await stranger.PostFormAsync(path + "?handler=Feedback", new() { ["completion"] = "default", [$"dripEs[{dripId}]"] = "Hola de fuera" }, "/");
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
        Assert.Equal(spanish, await app.WithDbAsync(db =>
            db.LocalizedTexts.Where(t => t.Key == $"drip:{dripId}" && t.Language == "es").Select(t => t.Text).SingleAsync()));

        // A Spanish client's follow-up is the firm's Spanish one; an English client's stays the English text.
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"]);
        await app.DrainAsync();
        app.Time.Advance(TimeSpan.FromDays(7));
        await app.DrainAsync();
        Assert.Equal("Hola Ana, ¿alguna pregunta sobre García v. Harbor? Responda aquí.", app.TextsTo(ana)[^1]);
        Assert.Equal("Hi John, any questions about García v. Harbor? Reply here.", app.TextsTo(john)[^1]);
        Assert.Equal(2, app.TextsTo(ana).Count);
    }
}
