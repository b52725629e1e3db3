using System.Net;
using System.Text.RegularExpressions;
using Casewire.Tests.Documents;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.Feedback;

/// <summary>
/// SPEC §13 (and §14's document notice): an admin writes the firm's own survey, review request, HELP answer, reminder and
/// document notice per language on Settings → Client texts, each checked as a milestone template is; a client reads the
/// firm's text in their language (theirs, else the firm's default, else English) over Casewire's; and only the firm's own.
/// </summary>
public sealed class FirmTextsTests(FeedbackApp app) : IClassFixture<FeedbackApp>
{
    const string Path = "/settings/texts";

    [Fact]
    public async Task AnAdminSavesTextsPerLanguageAllOrNothingAndABadPlaceholderIsNamedOnThePage()
    {
        var (tenant, _) = await app.FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var page = await admin.GetPageAsync(Path);
        Assert.Contains("name=\"Texts[survey-es]\"", page);
        Assert.Contains("name=\"Texts[document-notice-en]\"", page);

        var refused = await admin.PostFormAsync(Path, new()
        {
            ["Texts[survey-es]"] = "Hola {client.apodo}, ¿del 0 al 10?",
            ["Texts[reminder-en]"] = "Reminder: {event.title}. {portal.link}",
            ["Texts[help-es]"] = "{company.name}: responda aquí.",
        }, Path);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Nothing was saved", html);
        Assert.Contains("Satisfaction survey (Spanish (español)): Unknown placeholder {client.apodo}", html);
        Assert.Contains("Event reminder (English): Unknown placeholder {portal.link}; use one of {company.name}, {event.title}, {event.when}, {event.location}.", html);
        Assert.Contains("Hola {client.apodo}, ¿del 0 al 10?", html); // what was typed is kept
        Assert.False(await app.WithDbAsync(db => db.LocalizedTexts.AnyAsync(t => t.CompanyId == tenant.CompanyId)));

        var saved = await admin.PostFormAsync(Path, new()
        {
            ["Texts[survey-es]"] = "Hola {client.firstName}, ¿del 0 al 10?",
            ["Texts[reminder-en]"] = "{company.name}: see you at {event.title}, {event.when}.",
            ["Texts[help-en]"] = "{company.name}: call us at 555-0100.",
            ["Texts[help-es]"] = "{company.name}: llámenos al 555-0100.",
        }, Path);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var own = await app.WithDbAsync(db => db.LocalizedTexts.Where(t => t.CompanyId == tenant.CompanyId)
            .ToDictionaryAsync(t => $"{t.Key}-{t.Language}", t => t.Text));
        Assert.Equal(3, own.Count);
        Assert.Equal("Hola {client.firstName}, ¿del 0 al 10?", own["survey-es"]);
        Assert.Equal("{company.name}: llámenos al 555-0100.", own["help-es"]);
        // The English HELP answer is the company's HELP text: one of it, whichever page sets it.
        Assert.Equal("{company.name}: call us at 555-0100.",
            await app.WithDbAsync(db => db.Companies.Where(c => c.Id == tenant.CompanyId).Select(c => c.HelpText).SingleAsync()));
        Assert.Contains("Hola {client.firstName}, ¿del 0 al 10?", WebUtility.HtmlDecode(await admin.GetPageAsync(Path)));

        // Empty goes back to Casewire's text.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(Path, new() { ["Texts[survey-es]"] = "" }, Path)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.LocalizedTexts.AnyAsync(t => t.CompanyId == tenant.CompanyId && t.Key == "survey")));
    }

    [Fact]
    public async Task OnlyAnAdminChangesThemAndOnlyTheirOwnFirms()
    {
        var (tenant, _) = await app.FirmAsync();
        var (hostile, _) = await app.FirmAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(Path, new() { ["Texts[survey-es]"] = "Nuestra encuesta, {client.firstName}" }, Path)).StatusCode);

        var user = await StaffSession.SignedInAsync(app, tenant.CompanyId, Casewire.Model.StaffRole.User);
        Assert.DoesNotContain("Save client texts", await user.GetPageAsync(Path));
        var forbidden = await user.PostFormAsync(Path, new() { ["Texts[survey-es]"] = "Cambiado" }, Path);
        Assert.Equal("/denied", forbidden.Headers.Location!.AbsolutePath);

        // Another firm's admin reads and writes their own firm's texts: never this one's.
        var stranger = await StaffSession.SignedInAsync(app, hostile.CompanyId);
        Assert.DoesNotContain("Nuestra encuesta", WebUtility.HtmlDecode(await stranger.GetPageAsync(Path)));
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.PostFormAsync(Path, new() { ["Texts[survey-es]"] = "Secuestrada" }, Path)).StatusCode);
        Assert.Equal("Nuestra encuesta, {client.firstName}", await app.WithDbAsync(db => db.LocalizedTexts
            .Where(t => t.CompanyId == tenant.CompanyId && t.Key == "survey" && t.Language == "es").Select(t => t.Text).SingleAsync()));
        Assert.Equal("Secuestrada", await app.WithDbAsync(db => db.LocalizedTexts
            .Where(t => t.CompanyId == hostile.CompanyId && t.Key == "survey" && t.Language == "es").Select(t => t.Text).SingleAsync()));
    }

    [Fact]
    public async Task TheFirmsSpanishSurveyWinsThenTheFirmsDefaultLanguageThenEnglish()
    {
        // A Spanish-speaking firm that wrote its own survey in Spanish and in English.
        var (spanishFirm, _) = await app.FirmAsync(language: "es", surveyOnCompletion: true);
        await EditAsync(spanishFirm, new() { ["Texts[survey-es]"] = "Encuesta de {company.name}: {client.firstName}, ¿del 0 al 10?",
                                            ["Texts[survey-en]"] = "Our own survey, {client.firstName}: 0 to 10?" });
        var ana = await FeedbackApp.ClientAsync(spanishFirm, "ana", language: "es-MX");
        var noLanguage = await FeedbackApp.ClientAsync(spanishFirm, "luz", firstName: "Luz");
        var bob = await FeedbackApp.ClientAsync(spanishFirm, "bob", language: "en", firstName: "Bob");
        // An English firm that wrote nothing: its clients read Casewire's texts in their language.
        var (englishFirm, _) = await app.FirmAsync(surveyOnCompletion: true);
        var plain = await FeedbackApp.ClientAsync(englishFirm, "ann", firstName: "Ann");
        var spanishOfEnglishFirm = await FeedbackApp.ClientAsync(englishFirm, "eva", language: "es", firstName: "Eva");

        foreach (var (tenant, clients) in new[] { (spanishFirm, new[] { "ana", "luz", "bob" }), (englishFirm, new[] { "ann", "eva" }) })
        {
            await FeedbackApp.CaseAsync(tenant, "case-1", clients);
            await FeedbackApp.CaseAsync(tenant, "case-1", clients, status: "Completed");
        }
        await app.DrainAsync();

        Assert.Equal("Encuesta de Acme Law: Ana, ¿del 0 al 10?", app.TextsTo(ana).Last());
        Assert.Equal("Encuesta de Acme Law: Luz, ¿del 0 al 10?", app.TextsTo(noLanguage).Last());
        Assert.Equal("Our own survey, Bob: 0 to 10?", app.TextsTo(bob).Last());
        Assert.StartsWith("Hi Ann, how likely are you to recommend Acme Law", app.TextsTo(plain).Last());
        Assert.StartsWith("Hola Eva, ¿qué probabilidad hay de que recomiende Acme Law", app.TextsTo(spanishOfEnglishFirm).Last());
    }

    [Fact]
    public async Task TheFirmsSpanishReminderIsSentWithItsDateInSpanish()
    {
        var (tenant, _) = await app.FirmAsync();
        await EditAsync(tenant, new() { ["Texts[reminder-es]"] = "{company.name}: le esperamos en {event.title} el {event.when}{event.location}." });
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"], milestones: false);
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = await app.HearingRemindedAsync(tenant, "ana", "john");
        var when = Casewire.Time.EventTimes.Describe(start, zone, "es");
        Assert.StartsWith("mié, ", when);
        Assert.Equal($"Acme Law: le esperamos en Audiencia el {when}.", Assert.Single(app.TextsTo(ana)));
        Assert.StartsWith("Acme Law: reminder of Audiencia on Wed,", Assert.Single(app.TextsTo(john)));
    }

    [Fact]
    public async Task ADocumentNoticeIsInTheClientsLanguageAndTheFirmsOwnWordsWin()
    {
        var (tenant, _) = await app.FirmAsync();
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"], milestones: false);

        await (await tenant.Http.PostAsync("/partner/v2/projects/case-1/documents", DocumentTests.Form(DocumentTests.Pdf, "carta.pdf", "Carta", notify: "true")))
            .ExpectAsync(HttpStatusCode.Created);
        await app.DrainAsync();
        Assert.StartsWith("Acme Law: Hola Ana, tiene un documento nuevo, \"Carta\", en García v. Harbor. Ábralo aquí: http", Assert.Single(app.TextsTo(ana)));
        Assert.StartsWith("Acme Law: Hello John, a new document, \"Carta\", is ready for you", Assert.Single(app.TextsTo(john)));

        await EditAsync(tenant, new() { ["Texts[document-notice-es]"] = "{client.firstName}, nuevo documento: {document.title}. {portal.link}" });
        await (await tenant.Http.PostAsync("/partner/v2/projects/case-1/documents", DocumentTests.Form(DocumentTests.Pdf, "poder.pdf", "Poder", notify: "true")))
            .ExpectAsync(HttpStatusCode.Created);
        await app.DrainAsync();
        Assert.StartsWith("Ana, nuevo documento: Poder. http", app.TextsTo(ana).Last());
        Assert.StartsWith("Acme Law: Hello John, a new document, \"Poder\"", app.TextsTo(john).Last());
    }

    [Theory]
    [InlineData("Hello {client.firstName}, {document.title} is ready. {words} Open it here: {portal.link}")]
    [InlineData("{portal.link} Hello {client.firstName}, {document.title} is ready. {words}")]
    public async Task AFirmsDocumentNoticeOverTheLimitLosesWordsButKeepsItsPortalLinkWhole(string shape)
    {
        var (tenant, _) = await app.FirmAsync();
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["john"], milestones: false);
        // Within the 1,600 characters a text may have when saved; the title and the link make it longer when sent.
        var words = string.Join(" ", Enumerable.Repeat("Please read it before our call.", 45));
        await EditAsync(tenant, new() { ["Texts[document-notice-en]"] = shape.Replace("{words}", words, StringComparison.Ordinal) });
        var title = string.Join(" ", Enumerable.Repeat("Medical records", 15));

        await (await tenant.Http.PostAsync("/partner/v2/projects/case-1/documents", DocumentTests.Form(DocumentTests.Pdf, "records.pdf", title, notify: "true")))
            .ExpectAsync(HttpStatusCode.Created);
        await app.DrainAsync();

        var text = Assert.Single(app.TextsTo(john));
        Assert.True(text.Length <= 1600, $"{text.Length} characters: {text}"); // Twilio's limit for a text's body
        Assert.StartsWith(shape.StartsWith('{') ? "http" : "Hello John, Medical records", text);
        Assert.Contains("Please read it before our call.", text);
        Assert.Contains("…", text);
        var link = Regex.Match(text, @"https?://\S+/p/[A-Za-z0-9]{10}(?=\s|$)");
        Assert.True(link.Success, text);
        Assert.Contains("Medical records", await app.ClientBrowser().GetPageAsync(new Uri(link.Value).AbsolutePath));
    }

    async Task EditAsync(CasewireApp.Tenant tenant, Dictionary<string, string> texts)
    {
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync(Path, texts, Path)).StatusCode);
    }
}
