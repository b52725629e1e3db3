using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Casewire.Tests;

/// <summary>
/// SPEC §6: the welcome, phase-change and drip notifications a project's clients receive without
/// anyone typing them, at a civil hour (the company's delivery window), and once.
/// The class shares one app and one clock, so each test moves the clock forward to the moment it
/// needs ("the next Friday at 21:00 in New York") and texts to its own fresh phone numbers.
/// </summary>
public sealed partial class MilestoneTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    static int _lastPhone;

    static string NewPhone() => $"+1555{2000000 + Interlocked.Increment(ref _lastPhone):D7}";

    // ---- setting up a firm, its clients and its cases, as a CMS would ----

    async Task<CasewireApp.Tenant> FirmAsync(DeliveryWindow window = DeliveryWindow.BusinessHours)
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var company = await db.Companies.SingleAsync(c => c.Id == tenant.CompanyId);
            company.Name = "Acme Law";
            company.TimeZone = "America/New_York";
            company.DeliveryWindow = window;
            await db.SaveChangesAsync();
        });
        return tenant;
    }

    static object Project(string phase, string[] clients, bool milestones = true, string status = "In Progress", string type = "Personal Injury") =>
        new { externalId = "case-1", name = "Lee v. Acme", partnerPhaseName = phase, clients, partnerProjectTypeName = type, milestonesEnabled = milestones, status };

    /// <summary>A client with a fresh phone number; returns the number.</summary>
    static async Task<string> ClientAsync(CasewireApp.Tenant tenant, string externalId, string firstName = "Ann")
    {
        var phone = NewPhone();
        await tenant.ContactAsync(externalId, phone: phone, firstName: firstName);
        return phone;
    }

    List<JsonObject> SentTo(string address) => app.SinkLines().Where(l => (string?)l["to"] == address).ToList();

    async Task<JsonArray> ConversationAsync(CasewireApp.Tenant tenant) =>
        (await (await tenant.Http.GetAsync("/partner/v2/projects/case-1/messages")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();

    // ---- the clock, in New York time ----

    /// <summary>Moves the clock to the next <paramref name="day"/> at <paramref name="hour"/>:00 in New York, after now.</summary>
    async Task<ZonedDateTime> NextAsync(IsoDayOfWeek day, int hour, int minute = 0)
    {
        var now = Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(NewYork);
        var date = now.Date.Next(day);
        return await AtAsync(date + new LocalTime(hour, minute));
    }

    async Task<ZonedDateTime> AtAsync(LocalDateTime local)
    {
        var at = local.InZoneLeniently(NewYork);
        app.Time.SetUtcNow(at.ToInstant().ToDateTimeOffset()); // UTC, as TimeProvider.GetUtcNow promises
        await app.DispatchAsync();
        return at;
    }

    /// <summary>Moves the clock by <paramref name="by"/> and sends whatever fell due.</summary>
    async Task AdvanceAsync(TimeSpan by)
    {
        app.Time.Advance(by);
        await app.DispatchAsync();
    }

    static DateTimeOffset SentAt(JsonObject line) => DateTimeOffset.Parse((string)line["sentAt"]!);

    [GeneratedRegex(@"(?<base>https?://[^/\s]+)(?<path>/p/[A-Za-z0-9]{10})")]
    private static partial Regex PortalLink();

    // ---- welcome ----

    [Fact]
    public async Task EachClientGetsOneWelcomeWithTheirNameTheFirmTheCaseAndTheirOwnLink()
    {
        var tenant = await FirmAsync();
        await NextAsync(IsoDayOfWeek.Tuesday, 10);
        var ann = await ClientAsync(tenant, "c1", "Ann");
        var bob = await ClientAsync(tenant, "c2", "Bob");

        await tenant.PutProjectAsync(Project("Intake", ["c1", "c2"]));
        await app.DispatchAsync();

        var toAnn = Assert.Single(SentTo(ann));
        var toBob = Assert.Single(SentTo(bob));
        Assert.StartsWith("Hi Ann, this is Acme Law.", (string?)toAnn["text"]);
        Assert.Contains("Lee v. Acme", (string?)toAnn["text"]);
        Assert.StartsWith("Hi Bob,", (string?)toBob["text"]);
        var annLink = PortalLink().Match((string)toAnn["text"]!);
        var bobLink = PortalLink().Match((string)toBob["text"]!);
        Assert.True(annLink.Success && bobLink.Success);
        Assert.Equal("http://localhost:5000", annLink.Groups["base"].Value);
        Assert.NotEqual(annLink.Value, bobLink.Value);
    }

    [Fact]
    public async Task TheWelcomeLinkOpensThePortalAndATamperedOneIsNotFound()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1", "Ann");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await app.DispatchAsync();
        var path = PortalLink().Match((string)Assert.Single(SentTo(ann))["text"]!).Groups["path"].Value;
        var browser = app.CreateClient();

        var page = await browser.GetAsync(path);
        var tamperedChar = path[^5] == 'A' ? 'B' : 'A';
        var tampered = await browser.GetAsync(path[..^5] + tamperedChar + path[^4..]);
        var made = await browser.GetAsync("/portal/" + new string('A', 120));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Lee v. Acme", html);
        Assert.Contains("Hello Ann", html);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, made.StatusCode);
    }

    [Fact]
    public async Task ALinkStopsWorkingForAClientTakenOffTheCase()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        await ClientAsync(tenant, "c2");
        await tenant.PutProjectAsync(Project("Intake", ["c1", "c2"]));
        await app.DispatchAsync();
        var path = PortalLink().Match((string)Assert.Single(SentTo(ann))["text"]!).Groups["path"].Value;

        await tenant.PutProjectAsync(Project("Intake", ["c2"]));

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task LaterPutsNeverSendTheWelcomeAgain()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await app.DispatchAsync();

        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Intake", ["c1"], status: "Not Started"));
        await tenant.PutProjectAsync(Project("Intake", ["c1"], milestones: false));
        await tenant.PutProjectAsync(Project("Intake", ["c1"], milestones: true));
        await AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Single(SentTo(ann));
        Assert.Single(await ConversationAsync(tenant), m => (string?)m!["kind"] == "welcome");
    }

    [Fact]
    public async Task NoWelcomeAndNoPhaseMessageWhenMilestonesAreOff()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");

        await tenant.PutProjectAsync(Project("Intake", ["c1"], milestones: false));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"], milestones: false));
        await AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Empty(SentTo(ann));
        Assert.Empty(await ConversationAsync(tenant));
    }

    [Fact]
    public async Task ACaseCreatedAlreadyCompletedWelcomesNobody()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");

        await tenant.PutProjectAsync(Project("Closed", ["c1"], status: "Completed")); // a CMS's first sync of an old matter
        await app.DispatchAsync();

        Assert.Empty(SentTo(ann));
    }

    [Fact]
    public async Task ACoClientAddedLaterIsWelcomedOnce()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1", "Ann");
        var bob = await ClientAsync(tenant, "c2", "Bob");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));

        await tenant.PutProjectAsync(Project("Intake", ["c1", "c2"]));
        await tenant.PutProjectAsync(Project("Intake", ["c1", "c2"]));
        await app.DispatchAsync();

        Assert.Single(SentTo(ann));
        Assert.StartsWith("Hi Bob,", (string?)Assert.Single(SentTo(bob))["text"]);
    }

    [Fact]
    public async Task AnEmailOnlyClientGetsTheWelcomeByEmail()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var email = $"client{Interlocked.Increment(ref _lastPhone)}@example.com";
        await tenant.ContactAsync("c1", email: email, firstName: "Cara");

        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await app.DispatchAsync();

        var line = Assert.Single(SentTo(email));
        Assert.Equal("email", (string?)line["channel"]);
        Assert.Equal("Acme Law: Lee v. Acme", (string?)line["subject"]);
        Assert.StartsWith("Hi Cara,", (string?)line["text"]);
    }

    // ---- phase changes and the delivery window ----

    [Fact]
    public async Task APhaseChangeOnFridayEveningIsDeliveredMondayAtEightNewYorkTime()
    {
        var tenant = await FirmAsync();
        await NextAsync(IsoDayOfWeek.Thursday, 10);
        var ann = await ClientAsync(tenant, "c1");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await app.DispatchAsync();

        var friday = await NextAsync(IsoDayOfWeek.Friday, 21);
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();
        await AtAsync(friday.LocalDateTime.PlusDays(3).Date + new LocalTime(7, 59));
        var beforeOpening = SentTo(ann).Count;
        var monday = await AtAsync(friday.LocalDateTime.PlusDays(3).Date + new LocalTime(8, 0));

        Assert.Equal(1, beforeOpening); // the welcome only
        var phaseText = Assert.Single(SentTo(ann), l => ((string)l["text"]!).Contains("Investigation"));
        Assert.Equal(monday.ToDateTimeOffset(), SentAt(phaseText));
    }

    [Fact]
    public async Task AFridayEveningPhaseChangeAcrossTheNovemberDstChangeIsDeliveredMondayAtEightLocalTime()
    {
        var tenant = await FirmAsync();
        var ann = await ClientAsync(tenant, "c1");
        await NextAsync(IsoDayOfWeek.Tuesday, 10);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));

        // The next Friday whose weekend ends daylight saving time (the first Sunday of November).
        var friday = Instant.FromDateTimeOffset(app.Time.GetUtcNow()).InZone(NewYork).Date.Next(IsoDayOfWeek.Friday);
        while (friday.PlusDays(2) is var sunday && !(sunday.Month == 11 && sunday.Day <= 7)) friday = friday.PlusWeeks(1);
        await AtAsync(friday + new LocalTime(21, 0));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        var monday = friday.PlusDays(3) + new LocalTime(8, 0);
        await AtAsync(monday.PlusMinutes(-1));
        var beforeOpening = SentTo(ann).Count(l => ((string)l["text"]!).Contains("Investigation"));
        await AtAsync(monday);

        Assert.Equal(0, beforeOpening);
        var phaseText = Assert.Single(SentTo(ann), l => ((string)l["text"]!).Contains("Investigation"));
        Assert.Equal(monday.InZoneStrictly(NewYork).ToDateTimeOffset(), SentAt(phaseText));
        Assert.Equal(Offset.FromHours(-5), NewYork.GetUtcOffset(Instant.FromDateTimeOffset(SentAt(phaseText)))); // standard time by then
    }

    [Fact]
    public async Task APhaseChangeOnTuesdayAtTenGoesAtOnce()
    {
        var tenant = await FirmAsync();
        var ann = await ClientAsync(tenant, "c1");
        var tuesday = await NextAsync(IsoDayOfWeek.Tuesday, 10);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));

        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();

        var phaseText = Assert.Single(SentTo(ann), l => ((string)l["text"]!).Contains("Investigation"));
        Assert.Equal(tuesday.ToDateTimeOffset(), SentAt(phaseText));
    }

    [Fact]
    public async Task AnImmediateCompanyIsNotifiedAtOnceEvenOnSaturdayNight()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        var saturday = await NextAsync(IsoDayOfWeek.Saturday, 23);

        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();

        var texts = SentTo(ann);
        Assert.Equal(2, texts.Count);
        Assert.All(texts, t => Assert.Equal(saturday.ToDateTimeOffset(), SentAt(t)));
    }

    [Fact]
    public async Task ThreePhaseChangesBeforeTheWindowSendOnlyTheLast()
    {
        var tenant = await FirmAsync();
        var ann = await ClientAsync(tenant, "c1");
        await NextAsync(IsoDayOfWeek.Thursday, 10);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        var friday = await NextAsync(IsoDayOfWeek.Friday, 21);

        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await AdvanceAsync(TimeSpan.FromHours(1));
        await tenant.PutProjectAsync(Project("Negotiation", ["c1"]));
        await AdvanceAsync(TimeSpan.FromHours(12));
        await tenant.PutProjectAsync(Project("Settlement", ["c1"]));
        await AtAsync(friday.LocalDateTime.PlusDays(3).Date + new LocalTime(8, 0));

        var phaseTexts = SentTo(ann).Select(l => (string)l["text"]!).Where(t => !t.Contains("this is Acme Law")).ToList(); // all but the welcome
        Assert.Contains("Settlement", Assert.Single(phaseTexts));
        var phaseMessages = (await ConversationAsync(tenant)).Where(m => (string?)m!["kind"] == "phase-change")
            .Select(m => ((string)m!["phase"]!["name"]!, (string)m["recipients"]![0]!["status"]!)).ToList();
        Assert.Equal([("Settlement", "sent"), ("Negotiation", "superseded"), ("Investigation", "superseded")], phaseMessages);
    }

    [Fact]
    public async Task AChangeAndBackBeforeTheWindowSendsNothing()
    {
        var tenant = await FirmAsync();
        var ann = await ClientAsync(tenant, "c1");
        await NextAsync(IsoDayOfWeek.Thursday, 10);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        var friday = await NextAsync(IsoDayOfWeek.Friday, 21);

        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await AdvanceAsync(TimeSpan.FromHours(14));
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await AtAsync(friday.LocalDateTime.PlusDays(3).Date + new LocalTime(9, 0));

        Assert.Single(SentTo(ann)); // the welcome
        var phaseMessage = Assert.Single(await ConversationAsync(tenant), m => (string?)m!["kind"] == "phase-change");
        Assert.Equal("canceled", (string?)phaseMessage!["recipients"]![0]!["status"]);
    }

    [Fact]
    public async Task MovingBackToAPhaseTheClientWasAlreadyToldOfSendsNothingNew()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();
        await tenant.PutProjectAsync(Project("Negotiation", ["c1"]));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();

        var texts = SentTo(ann).Select(l => (string)l["text"]!).ToList();
        Assert.Equal(2, texts.Count); // the welcome and Investigation (sent in the same round, in either order)
        Assert.Single(texts, t => t.Contains("Investigation"));
    }

    [Fact]
    public async Task SendingTheSamePhaseAgainSendsNothing()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));

        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await tenant.PutProjectAsync(Project("  INVESTIGATION ", ["c1"]));
        await app.DispatchAsync();

        Assert.Equal(2, SentTo(ann).Count);
    }

    [Fact]
    public async Task ALockedTypeWithAnUnmappedPhaseStaysInItsPhaseRecordsTheNameAndSendsNothing()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        var ann = await ClientAsync(tenant, "c1");
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        var learned = await tenant.PutProjectAsync(Project("Investigation", ["c1"]));
        await app.DispatchAsync();
        await app.WithDbAsync(async db =>
        {
            var type = await db.ProjectTypes.SingleAsync(t => t.CompanyId == tenant.CompanyId);
            type.IsLocked = true;
            await db.SaveChangesAsync();
        });
        var sentBefore = SentTo(ann).Count;

        var unmapped = await tenant.PutProjectAsync(Project("Waiting on Records", ["c1"]));
        await app.DispatchAsync();

        Assert.Equal((int)learned["phaseStep"]!, (int)unmapped["phaseStep"]!);
        Assert.Equal("Investigation", (string?)unmapped["phase"]!["name"]);
        Assert.Equal(sentBefore, SentTo(ann).Count);
        Assert.True(await app.WithDbAsync(db => db.UnmappedPhaseNames.AnyAsync(u => u.Name == "Waiting on Records"
            && db.ProjectTypes.Any(t => t.Id == u.ProjectTypeId && t.CompanyId == tenant.CompanyId))));
    }

    [Fact]
    public async Task TurningMilestonesOffCancelsWhatIsStillWaiting()
    {
        var tenant = await FirmAsync();
        var ann = await ClientAsync(tenant, "c1");
        var friday = await NextAsync(IsoDayOfWeek.Friday, 21);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Investigation", ["c1"]));

        await tenant.PutProjectAsync(Project("Investigation", ["c1"], milestones: false));
        await AtAsync(friday.LocalDateTime.PlusDays(3).Date + new LocalTime(9, 0));

        Assert.Empty(SentTo(ann));
        var statuses = (await ConversationAsync(tenant)).Select(m => (string)m!["recipients"]![0]!["status"]!).ToList();
        Assert.Equal(["canceled", "canceled"], statuses);
    }

    [Fact]
    public async Task AFirmsOwnPhaseMessageIsSentWithThePhaseInTheHistory()
    {
        var tenant = await FirmAsync(DeliveryWindow.Immediate);
        await LearnPhasesAsync(tenant, "Intake", "Discovery");
        var discovery = await PhaseIdAsync(tenant, "Discovery");
        var saved = await WithTemplatesAsync(t => t.SetPhaseMessageAsync(tenant.CompanyId, discovery,
            "{client.firstName}, {project.name} is in discovery: expect document requests. {portal.link}", CancellationToken.None));
        Assert.True(saved.Saved);
        var ann = await ClientAsync(tenant, "c1", "Ann");
        await tenant.PutProjectAsync(Project("Intake", ["c1"], milestones: false));

        await tenant.PutProjectAsync(Project("Discovery", ["c1"]));
        await app.DispatchAsync();

        var text = (string)Assert.Single(SentTo(ann))["text"]!;
        Assert.StartsWith("Ann, Lee v. Acme is in discovery: expect document requests. http://localhost:5000/p/", text);
        var message = Assert.Single(await ConversationAsync(tenant))!;
        Assert.Equal("phase-change", (string?)message["kind"]);
        Assert.True((bool)message["automatic"]!);
        Assert.Equal("Discovery", (string?)message["phase"]!["name"]);
        Assert.Equal("casewire", (string?)message["author"]!["kind"]);
        var recipient = message["recipients"]![0]!;
        Assert.Equal(("sms", ann, "sent"), ((string)recipient["channel"]!, (string)recipient["address"]!, (string)recipient["status"]!));
        Assert.Equal(1, (int)recipient["segments"]!); // the short link keeps it to one
    }

    // ---- drips ----

    async Task<int> PhaseIdAsync(CasewireApp.Tenant tenant, string name) => await app.WithDbAsync(db => db.Phases
        .Where(p => p.Name == name && db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == tenant.CompanyId))
        .Select(p => p.Id).SingleAsync());

    async Task<T> WithTemplatesAsync<T>(Func<MilestoneTemplates, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MilestoneTemplates>());
    }

    /// <summary>Teaches the firm's "Personal Injury" case tracker its phases through a case that notifies nobody.</summary>
    async Task LearnPhasesAsync(CasewireApp.Tenant tenant, params string[] phases)
    {
        await tenant.ContactAsync("setup", phone: NewPhone());
        foreach (var phase in phases) await tenant.ProjectAsync("setup", ["setup"], phase: phase, milestones: false);
    }

    /// <summary>A firm whose "Treatment" phase has the drip.</summary>
    async Task<CasewireApp.Tenant> FirmWithDripAsync(int afterDays, int? repeatEveryDays = null, int maxTimes = 1)
    {
        var tenant = await FirmAsync();
        await LearnPhasesAsync(tenant, "Intake", "Treatment", "Demand");
        var phaseId = await PhaseIdAsync(tenant, "Treatment");
        var drip = await WithTemplatesAsync(t => t.AddDripAsync(tenant.CompanyId, phaseId,
            new MilestoneTemplates.DripRequest(afterDays, "How is treatment going, {client.firstName}? Tell us: {portal.link}", repeatEveryDays, maxTimes),
            CancellationToken.None));
        Assert.True(drip.Saved, string.Join(" ", drip.Errors));
        return tenant;
    }

    List<JsonObject> DripsTo(string phone) => SentTo(phone).Where(l => ((string)l["text"]!).StartsWith("How is treatment going")).ToList();

    [Fact]
    public async Task ADripAfterSevenDaysIsSentOnDaySeven()
    {
        var tenant = await FirmWithDripAsync(afterDays: 7);
        var ann = await ClientAsync(tenant, "c1", "Ann");
        var tuesday = await NextAsync(IsoDayOfWeek.Tuesday, 10);
        await tenant.PutProjectAsync(Project("Intake", ["c1"]));
        await tenant.PutProjectAsync(Project("Treatment", ["c1"]));

        await AtAsync(tuesday.LocalDateTime.PlusDays(7).PlusMinutes(-1));
        var beforeDaySeven = DripsTo(ann).Count;
        await AtAsync(tuesday.LocalDateTime.PlusDays(7));

        Assert.Equal(0, beforeDaySeven);
        var drip = Assert.Single(DripsTo(ann));
        Assert.StartsWith("How is treatment going, Ann? Tell us: http://localhost:5000/p/", (string?)drip["text"]);
        Assert.Equal(tuesday.LocalDateTime.PlusDays(7).InZoneStrictly(NewYork).ToDateTimeOffset(), SentAt(drip));
        Assert.Single(await ConversationAsync(tenant), m => (string?)m!["kind"] == "drip" && (string?)m["phase"]!["name"] == "Treatment");
    }

    [Fact]
    public async Task ADripWhoseSeventhDayFallsOnFridayEveningWaitsForMondayAtEight()
    {
        var tenant = await FirmWithDripAsync(afterDays: 7);
        var ann = await ClientAsync(tenant, "c1");
        var friday = await NextAsync(IsoDayOfWeek.Friday, 21);
        await tenant.PutProjectAsync(Project("Treatment", ["c1"])); // a new case starts in the phase: its drips start too

        await AtAsync(friday.LocalDateTime.PlusDays(7));
        var onFriday = DripsTo(ann).Count;
        var monday = await AtAsync(friday.LocalDateTime.PlusDays(10).Date + new LocalTime(8, 0));

        Assert.Equal(0, onFriday);
        Assert.Equal(monday.ToDateTimeOffset(), SentAt(Assert.Single(DripsTo(ann))));
    }

    [Fact]
    public async Task LeavingThePhaseOnDayFiveCancelsItsDrip()
    {
        var tenant = await FirmWithDripAsync(afterDays: 7);
        var ann = await ClientAsync(tenant, "c1");
        var tuesday = await NextAsync(IsoDayOfWeek.Tuesday, 10);
        await tenant.PutProjectAsync(Project("Treatment", ["c1"]));

        await AtAsync(tuesday.LocalDateTime.PlusDays(5));
        await tenant.PutProjectAsync(Project("Demand", ["c1"]));
        await AtAsync(tuesday.LocalDateTime.PlusDays(14));

        Assert.Empty(DripsTo(ann));
        var drip = Assert.Single(await ConversationAsync(tenant), m => (string?)m!["kind"] == "drip");
        Assert.Equal("canceled", (string?)drip!["recipients"]![0]!["status"]);
    }

    [Fact]
    public async Task ARepeatingDripStopsWhenTheCaseIsCompleted()
    {
        var tenant = await FirmWithDripAsync(afterDays: 2, repeatEveryDays: 3, maxTimes: 3);
        var ann = await ClientAsync(tenant, "c1");
        var monday = await NextAsync(IsoDayOfWeek.Monday, 10);
        await tenant.PutProjectAsync(Project("Treatment", ["c1"]));

        await AtAsync(monday.LocalDateTime.PlusDays(2));
        await AtAsync(monday.LocalDateTime.PlusDays(6)); // day 5 is a Saturday: that one waits for Monday 08:00
        var beforeCompletion = DripsTo(ann).Select(SentAt).ToList();
        await tenant.PutProjectAsync(Project("Treatment", ["c1"], status: "Completed"));
        await AtAsync(monday.LocalDateTime.PlusDays(21));

        Assert.Equal([monday.LocalDateTime.PlusDays(2).InZoneStrictly(NewYork).ToDateTimeOffset()], beforeCompletion);
        Assert.Single(DripsTo(ann));
    }

    [Fact]
    public async Task ARepeatingDripIsSentAtMostMaxTimes()
    {
        var tenant = await FirmWithDripAsync(afterDays: 1, repeatEveryDays: 1, maxTimes: 3);
        var ann = await ClientAsync(tenant, "c1");
        var monday = await NextAsync(IsoDayOfWeek.Monday, 10);
        await tenant.PutProjectAsync(Project("Treatment", ["c1"]));

        for (var day = 1; day <= 30; day++) await AtAsync(monday.LocalDateTime.PlusDays(day));

        var sent = DripsTo(ann).Select(SentAt).ToList();
        var expected = new[] { 1, 2, 3 }.Select(d => monday.LocalDateTime.PlusDays(d).InZoneStrictly(NewYork).ToDateTimeOffset());
        // Each went on its day, at 10:00 (inside the window), and then they stopped.
        Assert.Equal(expected, sent.Order());
    }
}
