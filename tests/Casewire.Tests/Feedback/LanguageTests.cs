using System.Net;
using Casewire.Tests.Infrastructure;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.Feedback;

/// <summary>
/// SPEC §13, languages: a client reads every automatic text in their language (the contact's, else the firm's
/// default, else English), with dates written the way that language writes them, and the firm's own wording
/// of a text in that language wins over Casewire's.
/// </summary>
public sealed class LanguageTests(FeedbackApp app) : IClassFixture<FeedbackApp>
{
    [Fact]
    public async Task ASpanishContactsWelcomeAndPhaseChangeAreInSpanish()
    {
        var (tenant, _) = await app.FirmAsync();
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"]);
        await app.DrainAsync();
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"], phase: "Discovery");
        await app.DrainAsync();

        var toAna = app.TextsTo(ana);
        Assert.Equal(2, toAna.Count);
        Assert.StartsWith("Hola Ana, le escribe Acme Law. Le enviaremos aquí novedades sobre García v. Harbor.", toAna[0]);
        Assert.Equal("Hola Ana, novedades de Acme Law: García v. Harbor ha pasado a la fase Discovery.", toAna[1]);
        Assert.StartsWith("Hi John, this is Acme Law.", app.TextsTo(john)[0]);
        Assert.Equal("Hi John, an update from Acme Law: García v. Harbor has moved to the Discovery phase.", app.TextsTo(john)[1]);
    }

    [Fact]
    public async Task ASpanishContactsReminderGivesTheDateInSpanishAndAnEnglishOneInEnglish()
    {
        var (tenant, _) = await app.FirmAsync();
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es-MX");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"], milestones: false);
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = await app.HearingRemindedAsync(tenant, "ana", "john");
        var abbreviation = zone.GetZoneInterval(start).Name;
        var day = start.InZone(zone).Date;
        var month = System.Globalization.CultureInfo.GetCultureInfo("es").DateTimeFormat.GetAbbreviatedMonthName(day.Month).TrimEnd('.');
        Assert.Equal($"Acme Law: recordatorio de Audiencia el mié, {day.Day} {month} a las 10:00 a. m. {abbreviation}.", Assert.Single(app.TextsTo(ana)));
        Assert.Equal($"Acme Law: reminder of Audiencia on Wed, {day.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)} at 10:00 AM {abbreviation}.",
            Assert.Single(app.TextsTo(john)));
    }

    [Fact]
    public void SpanishDatesAreWrittenTheWaySpanishWritesThem()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var instant = new LocalDateTime(2025, 1, 8, 10, 0).InZoneLeniently(zone).ToInstant();
        Assert.Equal("mié, 8 ene a las 10:00 a. m. EST", Casewire.Time.EventTimes.Describe(instant, zone, "es"));
        Assert.Equal("Wed, Jan 8 at 10:00 AM EST", Casewire.Time.EventTimes.Describe(instant, zone, "en"));
        var evening = new LocalDateTime(2025, 7, 4, 18, 30).InZoneLeniently(zone).ToInstant();
        Assert.Equal("vie, 4 jul a las 6:30 p. m. EDT", Casewire.Time.EventTimes.Describe(evening, zone, "es"));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("spanish")]
    [InlineData("e")]
    [InlineData("es_MX")]
    public async Task ALanguageWithoutTextsIs400NamingTheField(string language)
    {
        var tenant = await app.NewTenantAsync();
        var response = await tenant.Http.PutJsonAsync("/partner/v2/contacts",
            new { externalId = "c1", firstName = "Ann", lastName = "Lee", phone = "+14155550100", language });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("en, es", Assert.Single(problem.ErrorsFor("language")));
        Assert.False(await app.WithDbAsync(db => db.Contacts.AnyAsync(c => c.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task TheLanguageIsStoredShownAndClearedByNull()
    {
        var tenant = await app.NewTenantAsync();
        var created = await tenant.PutContactAsync(new { externalId = "c1", firstName = "Ann", lastName = "Lee", phone = "+14155550101", language = "ES-mx" });
        Assert.Equal("es-MX", (string?)created["language"]);
        var kept = await tenant.PutContactAsync(new { externalId = "c1", firstName = "Ann", lastName = "Lee" });
        Assert.Equal("es-MX", (string?)kept["language"]);
        var cleared = await tenant.PutContactAsync("""{ "externalId": "c1", "firstName": "Ann", "lastName": "Lee", "language": null }""");
        Assert.Null((string?)cleared["language"]);
    }

    [Fact]
    public async Task WithoutALanguageOfTheirOwnAClientReadsTheFirmsDefaultThenEnglish()
    {
        var (spanishFirm, _) = await app.FirmAsync(language: "es");
        var noLanguage = await FeedbackApp.ClientAsync(spanishFirm, "a");
        var english = await FeedbackApp.ClientAsync(spanishFirm, "b", language: "en", firstName: "Bob");
        await FeedbackApp.CaseAsync(spanishFirm, "case-1", ["a", "b"]);
        var (englishFirm, _) = await app.FirmAsync();
        var plain = await FeedbackApp.ClientAsync(englishFirm, "a");
        await FeedbackApp.CaseAsync(englishFirm, "case-1", ["a"]);
        await app.DrainAsync();

        Assert.StartsWith("Hola Ana,", Assert.Single(app.TextsTo(noLanguage)));
        Assert.StartsWith("Hi Bob,", Assert.Single(app.TextsTo(english)));
        Assert.StartsWith("Hi Ana,", Assert.Single(app.TextsTo(plain)));
    }

    [Fact]
    public async Task AFirmsOwnSpanishTextWinsOverTheDefaultAndOnlyForThatFirm()
    {
        var (tenant, _) = await app.FirmAsync();
        var (other, _) = await app.FirmAsync();
        var typeId = await TypeOfAsync(tenant, "seed");
        var otherTypeId = await TypeOfAsync(other, "seed");
        await app.WithDbAsync(async db =>
        {
            var texts = new ClientTexts(db);
            await texts.SetAsync(tenant.CompanyId, TextKeys.Welcome(typeId), "es", "¡Bienvenida, {client.firstName}! {portal.link}", app.Time.GetUtcNow(), default);
            await db.SaveChangesAsync();
        });
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        var otherAna = await FeedbackApp.ClientAsync(other, "ana", language: "es");
        await FeedbackApp.CaseAsync(other, "case-1", ["ana"]);
        await app.DrainAsync();

        Assert.StartsWith("¡Bienvenida, Ana! http", Assert.Single(app.TextsTo(ana)));
        Assert.StartsWith("Hola Ana, le escribe Acme Law.", Assert.Single(app.TextsTo(otherAna)));
        Assert.NotEqual(typeId, otherTypeId);
    }

    [Fact]
    public async Task AFollowUpTheFirmWroteOnlyInEnglishReachesASpanishClientInEnglish()
    {
        var (tenant, _) = await app.FirmAsync(language: "es");
        var typeId = await TypeOfAsync(tenant, "seed");
        await app.WithDbAsync(async db =>
        {
            var phase = await db.Phases.SingleAsync(p => p.ProjectTypeId == typeId);
            db.PhaseDrips.Add(new Casewire.Model.PhaseDrip { PhaseId = phase.Id, AfterDays = 2, Template = "{client.firstName}, any questions? Reply here.", CreatedAt = app.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await app.DrainAsync();
        app.Time.Advance(TimeSpan.FromDays(5));
        await app.DrainAsync();

        // Casewire writes no drips: with no Spanish words of the firm's, its English ones are all there is.
        var texts = app.TextsTo(ana);
        Assert.StartsWith("Hola Ana, le escribe Acme Law.", texts[0]);
        Assert.Equal("Ana, any questions? Reply here.", texts[^1]);
    }

    [Fact]
    public async Task HelpIsAnsweredInTheLanguageOfTheClientWhoWrote()
    {
        var (tenant, sender) = await app.FirmAsync();
        var ana = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        var john = await FeedbackApp.ClientAsync(tenant, "john", firstName: "John");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana", "john"], milestones: false);

        await app.TextInAsync(ana, sender, "HELP");
        await app.TextInAsync(john, sender, "help");

        Assert.Equal("Acme Law: responda a este número para hablar con el equipo de su caso. Responda STOP para no recibir más mensajes.",
            Assert.Single(app.TextsTo(ana)));
        Assert.Equal("Acme Law: reply to this number to reach your case team. Reply STOP to opt out.", Assert.Single(app.TextsTo(john)));
    }

    /// <summary>The project type a firm's first case creates (Personal Injury), made by a case without milestones.</summary>
    async Task<int> TypeOfAsync(CasewireApp.Tenant tenant, string seedContact)
    {
        await FeedbackApp.ClientAsync(tenant, seedContact);
        await FeedbackApp.CaseAsync(tenant, "seed-case", [seedContact], milestones: false);
        return await app.WithDbAsync(db => db.ProjectTypes.Where(t => t.CompanyId == tenant.CompanyId).Select(t => t.Id).SingleAsync());
    }
}
