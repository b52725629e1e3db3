using Casewire.Cli;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.CompanyApp;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Hosting;

/// <summary>
/// SPEC §11 from a hostile firm's side, on an installation that serves many firms (the default:
/// <c>Webhooks:AllowPrivateNetworks</c> off). Its admin points webhooks at the host's own network — loopback,
/// private ranges, cloud metadata — by address, by a name that resolves there, and by an endpoint that resolved
/// elsewhere when it was saved (DNS rebinding): nothing is saved and no call connects.
/// </summary>
public sealed class HostileTenantTests(HostileTenantTests.App app) : IClassFixture<HostileTenantTests.App>
{
    public sealed class App : CasewireApp
    {
        public WebhookReceiver Receiver { get; private set; } = null!;

        protected override async Task BeforeStartAsync() => Receiver = await WebhookReceiver.StartAsync(Time);

        protected override void Configure(IDictionary<string, string?> settings) => settings["Webhooks:AllowPrivateNetworks"] = "false";

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Receiver is not null) await Receiver.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks", "loopback")]
    [InlineData("http://localhost:8080/hooks", "loopback")] // a name that resolves to loopback
    [InlineData("http://[::1]/hooks", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]/hooks", "loopback")] // IPv4-mapped IPv6
    [InlineData("http://10.1.2.3/hooks", "private-network")]
    [InlineData("http://172.20.0.1/hooks", "private-network")]
    [InlineData("https://192.168.1.10/hooks", "private-network")]
    [InlineData("http://100.64.0.1/hooks", "private-network")] // carrier-grade NAT
    [InlineData("http://[fd12:3456::1]/hooks", "private-network")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")] // cloud metadata
    [InlineData("http://[fe80::1]/hooks", "link-local")]
    [InlineData("http://224.0.0.251/hooks", "multicast")]
    [InlineData("http://0.0.0.0/hooks", "unspecified")]
    public async Task AWebhookIntoTheHostsNetworkIsRefusedWhenSavedWithTheReasonAndNothingIsSaved(string url, string kind)
    {
        var tenant = await app.NewTenantAsync();
        var run = await CliAsync(app, "webhook", "create", "--company", tenant.Slug, "--url", url);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--url:", run.Error);
        Assert.Contains(kind, run.Error);
        Assert.Equal(0, await app.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task TheCompanyAppShowsTheRefusalNextToTheUrlAndSavesNothing()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var response = await admin.PostFormAsync("/settings/integrations?handler=CreateWebhook",
            new Dictionary<string, string> { ["WebhookUrl"] = "http://169.254.169.254/latest/meta-data/", ["WebhookEvents"] = "*" });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("169.254.169.254, a link-local (cloud metadata) address", html);
        Assert.Equal(0, await app.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task AnEndpointThatResolvesIntoTheHostsNetworkWhenCalledIsNeverConnectedToAndFailsForGood()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null));
        var path = app.Receiver.NewPath();
        // Saved as if its name had resolved to a public address then (DNS rebinding): only the connect-time check stands.
        var endpointId = await app.WithDbAsync(async db =>
        {
            var endpoint = db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                CompanyId = tenant.CompanyId, Url = app.Receiver.UrlOf(path), Secret = "whsec_" + new string('a', 32), CreatedAt = app.Time.GetUtcNow(),
            }).Entity;
            await db.SaveChangesAsync();
            return endpoint.Id;
        });

        await tenant.ProjectAsync("p1", ["c1"], phase: "Discovery"); // project.phase_changed
        await app.DispatchAsync();

        Assert.Empty(app.Receiver.RequestsTo(path));
        var call = await app.WithDbAsync(db => db.OutboxItems.AsNoTracking().SingleAsync(o => o.WebhookEndpointId == endpointId));
        Assert.Equal(DeliveryStatus.Failed, call.Status);
        Assert.Equal("address-refused", call.ErrorCode);
        Assert.Contains("loopback", call.ErrorMessage);
    }

    [Fact]
    public async Task LoginAnswersTheSameForAnUnknownEmailAWrongPasswordAndALockedLogin()
    {
        var companyId = (await app.NewTenantAsync()).CompanyId;
        var locked = await StaffSession.CreateUserAsync(app, companyId);
        for (var i = 0; i < 5; i++) await locked.SignInAsync("Not-The-Password-1");
        var wrong = await StaffSession.CreateUserAsync(app, companyId);
        var unknown = new StaffSession(app.CreateClient(new() { AllowAutoRedirect = false }), $"nobody-{Guid.NewGuid():N}@example.com", "Correct-Horse-42");

        var answers = new List<(System.Net.HttpStatusCode Status, string Alert)>();
        foreach (var (session, password) in new[] { (locked, locked.Password), (wrong, "Not-The-Password-1"), (unknown, unknown.Password) })
        {
            var response = await session.SignInAsync(password);
            answers.Add((response.StatusCode, AlertOf(await response.Content.ReadAsStringAsync())));
        }

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(System.Net.HttpStatusCode.OK, answers[0].Status);
        Assert.Contains("The email or password is not right.", answers[0].Alert);
    }

    [Fact]
    public async Task AddingAStaffMemberWhoseEmailAnotherFirmUsesSaysNothingAboutThatFirm()
    {
        var victimFirm = await app.NewTenantAsync();
        var victim = await StaffSession.CreateUserAsync(app, victimFirm.CompanyId);
        var hostile = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, hostile.CompanyId);
        var own = await StaffSession.CreateUserAsync(app, hostile.CompanyId);

        async Task<string> RefusalFor(string email) => PageHtml.FieldError(await (await admin.PostFormAsync("/team?handler=Create",
            new() { ["NewUser.Email"] = email, ["NewUser.Role"] = "User" })).Content.ReadAsStringAsync(), "NewUser.Email")!;

        var another = await RefusalFor(victim.Email);
        var ours = await RefusalFor(own.Email);
        Assert.Equal(ours.Replace(own.Email, "EMAIL"), another.Replace(victim.Email, "EMAIL"));
        Assert.DoesNotContain(victimFirm.Slug, another);
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync(u => u.CompanyId == hostile.CompanyId && u.Email == victim.Email)));
    }

    /// <summary>The text of the page's error summary (<c>role="alert"</c>), whitespace collapsed.</summary>
    static string AlertOf(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "<div[^>]*role=\"alert\"[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, "the page has no error summary");
        return System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(match.Groups[1].Value, "<[^>]+>", " "), "\\s+", " ").Trim();
    }

    [Theory]
    [InlineData("attendees")]
    [InlineData("teamMembers")]
    [InlineData("otherMembers")]
    [InlineData("reminders")]
    public async Task ACalendarEventListOneOverItsMaximumIsA400NamingTheFieldAndNothingIsWritten(string field)
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null));
        object[] list = field == "reminders"
            ? Enumerable.Range(1, 11).Select(i => (object)new { unit = "hour", amount = i }).ToArray()
            : Enumerable.Range(0, Limits.EventPeople + 1).Select(i => (object)$"someone{i}@example.com").ToArray();
        var body = new Dictionary<string, object?>
        {
            ["id"] = "ev1", ["projectId"] = "p1", ["title"] = "Hearing", ["startTime"] = "2026-07-01 09:30:00", ["timezone"] = "America/New_York",
            [field] = list,
        };

        var response = await tenant.Http.PostAsync("/partner/v2/calendar-event", System.Net.Http.Json.JsonContent.Create(body));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Contains("at most", (string?)problem["errors"]![field]![0]);
        Assert.Equal(0, await app.WithDbAsync(db => db.CalendarEvents.CountAsync(e => e.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task AProjectWithOneClientOverTheMaximumIsA400NamingClientsAndNothingIsWritten()
    {
        var tenant = await app.NewTenantAsync();
        var response = await tenant.Http.PutJsonAsync("/partner/v2/projects", new
        {
            externalId = "p-big", name = "Case", partnerPhaseName = "Intake", partnerProjectTypeName = "Personal Injury",
            milestonesEnabled = false, status = "In Progress", clients = Enumerable.Range(0, Limits.Clients + 1).Select(i => $"c{i}").ToArray(),
        });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"at most {Limits.Clients}", (string?)(await response.JsonAsync())["errors"]!["clients"]![0]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Projects.CountAsync(p => p.CompanyId == tenant.CompanyId)));
    }

    internal sealed record Run(int ExitCode, string Out, string Error);

    internal static async Task<Run> CliAsync(CasewireApp app, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(app.Services, args, stdout, stderr);
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>
/// A single-firm installation (<c>Webhooks:AllowPrivateNetworks=true</c>, as the other tests run): loopback and private
/// ranges are allowed for a CMS on the same host or office network, but cloud metadata, multicast and unspecified
/// addresses never are.
/// </summary>
public sealed class PrivateNetworkWebhookTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[fe80::1]/hooks", "link-local")]
    [InlineData("http://239.1.2.3/hooks", "multicast")]
    [InlineData("http://0.0.0.0/hooks", "unspecified")]
    public async Task CloudMetadataMulticastAndUnspecifiedAreRefusedEvenWhenPrivateNetworksAreAllowed(string url, string kind)
    {
        var tenant = await app.NewTenantAsync();
        var run = await HostileTenantTests.CliAsync(app, "webhook", "create", "--company", tenant.Slug, "--url", url);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(kind, run.Error);
        Assert.Equal(0, await app.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.CompanyId == tenant.CompanyId)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://192.168.1.10/hooks")]
    public async Task LoopbackAndPrivateAddressesAreSavedWhenAllowed(string url)
    {
        var tenant = await app.NewTenantAsync();
        var run = await HostileTenantTests.CliAsync(app, "webhook", "create", "--company", tenant.Slug, "--url", url);
        Assert.True(run.ExitCode == 0, run.Error);
    }
}
