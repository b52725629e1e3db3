using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.Feedback;

/// <summary>
/// The app as SPEC §13 needs it: texts to a fake Twilio, emails to a real SMTP catcher (detractor alerts), and
/// Twilio's signed inbound webhook (clients' score replies). The clock starts Tuesday 10:00 in New York.
/// </summary>
public sealed class FeedbackApp : CasewireApp
{
    public SmtpCatcher Catcher { get; private set; } = null!;
    public FakeTwilio Twilio { get; private set; } = null!;

    protected override async Task BeforeStartAsync()
    {
        Catcher = await SmtpCatcher.StartAsync();
        Twilio = await FakeTwilio.StartAsync(Time);
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Email:Provider"] = "Smtp";
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = Catcher.Port.ToString();
        settings["Smtp:Security"] = "None";
        settings["Smtp:From"] = "office@acme.example";
        settings["Sms:Provider"] = "Twilio";
        settings["Twilio:BaseUrl"] = Twilio.BaseUrl;
        settings["Twilio:AccountSid"] = FakeTwilio.AccountSid;
        settings["Twilio:AuthToken"] = FakeTwilio.AuthToken;
        settings["Twilio:From"] = FakeTwilio.From;
        // Several texts to one client at one instant (a HELP answer, a review request) go at once.
        settings["Twilio:MessagesPerSecond"] = "1000";
        settings["Casewire:PublicBaseUrl"] = FakeTwilio.AppBaseUrl;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Catcher is not null) await Catcher.DisposeAsync();
        if (Twilio is not null) await Twilio.DisposeAsync();
    }

    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    /// <summary>A firm in New York with its own sender number and the given §13 settings.</summary>
    /// <remarks>Immediate delivery unless asked: the class's tests share a clock that they leave at any day and hour.</remarks>
    internal async Task<(Tenant Tenant, string Sender)> FirmAsync(string language = "en", bool surveyOnCompletion = false, string? reviewUrl = null,
        DeliveryWindow window = DeliveryWindow.Immediate)
    {
        var (tenant, sender) = await this.NewSendingTenantAsync();
        await WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            (company.Name, company.TimeZone, company.Language) = ("Acme Law", "America/New_York", language);
            (company.SurveyOnCompletion, company.ReviewUrl, company.DeliveryWindow) = (surveyOnCompletion, reviewUrl, window);
            await db.SaveChangesAsync();
        });
        return (tenant, sender);
    }

    /// <summary>A client by phone (and language, when given); returns the phone.</summary>
    internal static async Task<string> ClientAsync(Tenant tenant, string externalId, string? language = null, string firstName = "Ana")
    {
        var phone = PartnerSetup.UniqueNumber();
        var body = new Dictionary<string, object?> { ["externalId"] = externalId, ["firstName"] = firstName, ["lastName"] = "García", ["phone"] = phone };
        if (language is not null) body["language"] = language;
        await tenant.PutContactAsync(body);
        return phone;
    }

    internal static Task<System.Text.Json.Nodes.JsonObject> CaseAsync(Tenant tenant, string externalId, string[] clients, string phase = "Intake",
        string status = "In Progress", bool milestones = true) =>
        tenant.PutProjectAsync(new
        {
            externalId, name = "García v. Harbor", partnerPhaseName = phase, clients, partnerProjectTypeName = "Personal Injury",
            milestonesEnabled = milestones, status,
        });

    /// <summary>The texts Twilio was asked to send to <paramref name="phone"/>, oldest first.</summary>
    internal List<string> TextsTo(string phone) => Twilio.SendsTo(phone).Select(r => r.Form["Body"]).ToList();

    /// <summary>
    /// Sends what is due, then moves the clock on by 50 ms at a time while that lets more go: texts from one
    /// sender number at one instant leave one per Twilio:MessagesPerSecond slot (1 ms here).
    /// </summary>
    internal async Task DrainAsync()
    {
        await DispatchAsync();
        for (var round = 0; round < 20; round++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(50));
            if (await DispatchAsync() == 0) return;
        }
    }

    /// <summary>Moves the clock to the next <paramref name="day"/> at <paramref name="hour"/>:00 in New York and sends what is due.</summary>
    internal async Task NextAsync(IsoDayOfWeek day, int hour)
    {
        var now = Instant.FromDateTimeOffset(Time.GetUtcNow()).InZone(NewYork);
        Time.SetUtcNow((now.Date.Next(day) + new LocalTime(hour, 0)).InZoneLeniently(NewYork).ToInstant().ToDateTimeOffset());
        await DrainAsync();
    }

    /// <summary>A client's text as Twilio posts it, signed.</summary>
    internal async Task TextInAsync(string from, string to, string body)
    {
        var response = await FakeTwilio.PostSignedAsync(CreateClient(), "/webhooks/twilio/sms", new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = from, ["To"] = to,
            ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1", ["ApiVersion"] = "2010-04-01",
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await DrainAsync();
    }

    /// <summary>
    /// A hearing, "Audiencia", for <paramref name="attendees"/> of case-1 on the Wednesday after next at 10:00 in New York with
    /// a reminder a day before; moves the clock to that reminder and sends it. Returns the hearing's start.
    /// </summary>
    internal async Task<Instant> HearingRemindedAsync(Tenant tenant, params string[] attendees)
    {
        var day = Instant.FromDateTimeOffset(Time.GetUtcNow()).InZone(NewYork).Date.Next(IsoDayOfWeek.Wednesday).PlusWeeks(1);
        var body = $$"""
            { "id": "ev-1", "projectId": "case-1", "title": "Audiencia", "attendees": {{System.Text.Json.JsonSerializer.Serialize(attendees)}}, "teamMembers": [],
              "startTime": "{{day:yyyy'-'MM'-'dd}} 10:00:00", "timezone": "America/New_York", "reminders": [{"unit": "day", "amount": 1}] }
            """;
        await (await tenant.Http.PostJsonAsync("/partner/v2/calendar-event", body)).ExpectAsync(System.Net.HttpStatusCode.Created);

        Time.SetUtcNow((day.PlusDays(-1) + new LocalTime(10, 0)).InZoneLeniently(NewYork).ToInstant().ToDateTimeOffset());
        await DrainAsync();
        return (day + new LocalTime(10, 0)).InZoneLeniently(NewYork).ToInstant();
    }

    internal Task<List<Survey>> SurveysAsync(int companyId) =>
        WithDbAsync(db => db.Surveys.AsNoTracking().Where(s => s.CompanyId == companyId).OrderBy(s => s.Id).ToListAsync());
}
