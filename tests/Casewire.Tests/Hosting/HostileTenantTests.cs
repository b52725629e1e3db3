using System.Net;
using System.Text.RegularExpressions;
using Casewire.Cli;
using Casewire.Data;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Tests.Fakes;
using Casewire.Tests.CompanyApp;
using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Casewire.Tests.Hosting;

/// <summary>
/// SPEC §11 from a hostile firm's side, on an installation that serves many firms (the default:
/// <c>Webhooks:AllowPrivateNetworks</c> off). Its admin points webhooks at the host's own network — loopback,
/// private ranges, cloud metadata — by address, by a name that resolves there, and by an endpoint that resolved
/// elsewhere when it was saved (DNS rebinding): nothing is saved and no call connects. It claims another firm's sender
/// number, sends lists one over their maxima, and reads what the installation logs and traces for credentials.
/// </summary>
public sealed class HostileTenantTests(HostileTenantTests.App app) : IClassFixture<HostileTenantTests.App>
{
    public sealed class App : CasewireApp
    {
        public WebhookReceiver Receiver { get; private set; } = null!;
        public FakeOtlpCollector Collector { get; private set; } = null!;
        public CapturedLogs Logs { get; } = new();
        public StatementCountTests.StatementCounter Counter { get; } = new();
        /// <summary>While set, opening a portal page fails inside the request (a bug's 500).</summary>
        public bool FailPortal { get; set; }

        protected override async Task BeforeStartAsync()
        {
            Receiver = await WebhookReceiver.StartAsync(Time);
            Collector = await FakeOtlpCollector.StartAsync();
        }

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Webhooks:AllowPrivateNetworks"] = "false";
            settings["OpenTelemetry:OtlpEndpoint"] = Collector.BaseUrl;
            settings["OpenTelemetry:OtlpProtocol"] = "http/protobuf";
        }

        protected override void ConfigureServices(IServiceCollection services)
        {
            // Every category at Information, ASP.NET Core's request lines included, whatever appsettings say.
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Information));
            services.AddHttpContextAccessor();
            services.ConfigureDbContext<SqliteCasewireDb>(options => options.AddInterceptors(Counter));
            services.ConfigureDbContext<PostgresCasewireDb>(options => options.AddInterceptors(Counter));
            services.AddScoped(sp => FailPortal
                ? throw new InvalidOperationException("The portal failed (a test's fault)")
                : ActivatorUtilities.CreateInstance<FreshLinks>(sp));
        }

        protected override void StartHost()
        {
            base.StartHost();
            Counter.Requests = Services.GetRequiredService<IHttpContextAccessor>();
        }

        /// <summary>Everything exported so far, and every log line, as text to search.</summary>
        public async Task<(string Logs, string Exports)> RecordedAsync()
        {
            Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            Assert.True(Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000));
            await Task.Yield();
            return (string.Join("\n", Logs.Entries.Select(e => e.AllText)), string.Concat(Collector.All));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Receiver is not null) await Receiver.DisposeAsync();
            if (Collector is not null) await Collector.DisposeAsync();
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

    // ---- sender numbers (SPEC §9, §11) ----

    [Fact]
    public async Task ClaimingAnotherFirmsSenderNumberIsRefusedByTheCliAndTheSettingsPageWithoutNamingThatFirm()
    {
        var victim = await app.NewTenantAsync();
        var number = PartnerSetup.UniqueNumber();
        var claimed = await CliAsync(app, "company", "update", "--company", victim.Slug, "--sender-number", number);
        Assert.True(claimed.ExitCode == 0, claimed.Error);
        var hostile = await app.NewTenantAsync();

        // The CLI: the same number, written nationally.
        var national = $"({number[2..5]}) {number[5..8]}-{number[8..]}";
        var run = await CliAsync(app, "company", "update", "--company", hostile.Slug, "--sender-number", national);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--sender-number", run.Error);
        Assert.Contains("another firm", run.Error);
        Assert.DoesNotContain(victim.Slug, run.Error);

        // The Settings page: a field error (not a 500) that names no firm.
        var admin = await StaffSession.SignedInAsync(app, hostile.CompanyId);
        var form = new Dictionary<string, string>
        {
            ["Form.Name"] = "Hostile LLP", ["Form.TimeZone"] = "America/New_York", ["Form.Region"] = "US", ["Form.DeliveryWindow"] = "business-hours",
            ["Form.WindowStart"] = "08:00", ["Form.WindowEnd"] = "20:00", ["Form.SenderNumber"] = number, ["Form.HelpText"] = "", ["Form.PortalUrl"] = "",
        };
        var response = await admin.PostFormAsync("/settings", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("already the sender number of another firm", PageHtml.FieldError(html, "Form.SenderNumber"));
        Assert.DoesNotContain(victim.Slug, html);

        var companies = await app.WithDbAsync(db => db.Companies.AsNoTracking()
            .Where(c => c.Id == victim.CompanyId || c.Id == hostile.CompanyId).ToDictionaryAsync(c => c.Id));
        Assert.Equal(number, companies[victim.CompanyId].SenderNumber);
        Assert.Null(companies[hostile.CompanyId].SenderNumber);
        Assert.NotEqual("Hostile LLP", companies[hostile.CompanyId].Name); // nothing of the refused form was saved
    }

    [Fact]
    public async Task TheUniqueIndexRefusesASecondClaimThatSkipsTheCheck()
    {
        var victim = await app.NewTenantAsync();
        var hostile = await app.NewTenantAsync();
        var number = PartnerSetup.UniqueNumber();
        await CliAsync(app, "company", "update", "--company", victim.Slug, "--sender-number", number);

        // Two firms saving at the same moment both pass the check; the database keeps one.
        var refused = await app.WithDbAsync(async db =>
        {
            (await db.Companies.SingleAsync(c => c.Id == hostile.CompanyId)).SenderNumber = number;
            var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            return DbErrors.IsUniqueViolation(e);
        });
        Assert.True(refused);
    }

    // ---- bounded requests: statements ----

    [Fact]
    public async Task ACalendarEventAtEveryMaximumRunsNoMoreStatementsThanOneWithAFewReferences()
    {
        var tenant = await app.NewTenantAsync();
        var people = Limits.EventPeople;
        for (var i = 0; i < people; i++) await tenant.ContactAsync($"c{i}", phone: $"+1555600{i:D4}", email: $"c{i}@example.com");
        for (var i = 0; i < 2 * people; i++) await tenant.TeamMemberAsync($"tm{i}", $"tm{i}@example.com");
        await tenant.ProjectAsync("case-1", ["c0"]);
        await EventStatementsAsync(tenant, "warm-up", ["c0"], ["tm0"], []);

        var few = await EventStatementsAsync(tenant, "few", ["c0", "c1@example.com", "+15556000002"], ["tm0", "tm1@example.com"], ["tm2"]);
        var maximal = await EventStatementsAsync(tenant, "maximal",
            Enumerable.Range(0, people).Select(i => (i % 3) switch { 0 => $"c{i}", 1 => $"c{i}@example.com", _ => $"+1555600{i:D4}" }).ToArray(),
            Enumerable.Range(0, people).Select(i => i % 2 == 0 ? $"tm{i}" : $"tm{i}@example.com").ToArray(),
            Enumerable.Range(people, people).Select(i => i % 2 == 0 ? $"tm{i}" : $"tm{i}@example.com").ToArray(),
            Enumerable.Range(1, 10).Select(i => new { unit = "hour", amount = i }).ToArray());

        // The reads are what a long list must not multiply (one per reference kind). The writes grow with what is
        // written — a row per attendee, ten reminders' texts for each — in batches of rows, never a lookup per element.
        static List<string> Compared(List<string> statements) =>
            statements.Where(s => !Regex.IsMatch(s, @"^\s*(INSERT|UPDATE|DELETE)", RegexOptions.IgnoreCase)).ToList();
        Assert.True(Compared(maximal).Count <= Compared(few).Count,
            $"{Compared(few).Count} statements for a few references, {Compared(maximal).Count} at every maximum");
    }

    async Task<List<string>> EventStatementsAsync(CasewireApp.Tenant tenant, string id, string[] attendees, string[] teamMembers, string[] otherMembers,
        object[]? reminders = null)
    {
        var label = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/partner/v2/calendar-event")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                id, projectId = "case-1", title = "Hearing", attendees, teamMembers, otherMembers, startTime = "2026-07-01 09:30:00",
                timezone = "America/New_York", reminders = reminders ?? [new { unit = "day", amount = 1 }],
            }),
        };
        request.Headers.Add(StatementCountTests.StatementCounter.Header, label);
        var response = await tenant.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        Assert.DoesNotContain("warnings\":[\"", text); // every reference resolved
        return app.Counter.Of(label);
    }

    // ---- behind a TLS proxy ----

    [Fact]
    public async Task BehindHttpsTheStaffSignInAndFormCookiesAreSecureHttpOnlyAndHstsIsSent()
    {
        await using var proxied = new BehindAProxyTests.App();
        await proxied.InitializeAsync();
        var tenant = await proxied.NewTenantAsync();
        var user = await StaffSession.CreateUserAsync(proxied, tenant.CompanyId);
        var browser = proxied.CreateClient(new() { BaseAddress = new Uri("https://casewire.example.com"), AllowAutoRedirect = false });

        var login = await browser.GetAsync("/login");
        var token = StaffSession.AntiforgeryToken(await login.Content.ReadAsStringAsync())!;
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = user.Email, ["Password"] = user.Password, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(signedIn.Headers.Contains("Strict-Transport-Security"));
        var cookies = login.Headers.GetValues("Set-Cookie").Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.True(cookies.Count >= 2, string.Join(" | ", cookies));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("; httponly", c, StringComparison.OrdinalIgnoreCase));
    }

    // ---- credentials out of logs and traces ----

    [Fact]
    public async Task PortalLinksOpenedAndFailingNeverReachTheLogsOrTheSpans()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null));
        var (project, contact) = await app.WithDbAsync(async db => (await db.Projects.SingleAsync(p => p.CompanyId == tenant.CompanyId).ContinueWith(t => t.Result.Id),
            await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId).Select(c => c.Id).SingleAsync()));
        var shortPath = await app.ShortPathAsync(tenant.CompanyId, project, contact);
        var longPath = await app.PortalPathAsync(tenant.CompanyId, project, contact);
        var secrets = new[] { shortPath["/p/".Length..], longPath["/portal/".Length..], longPath["/portal/".Length..][..40] };

        await app.ClientBrowser().GetPageAsync(shortPath);
        await app.ClientBrowser().GetPageAsync(longPath);
        await app.ReplyAsync(shortPath, "Thank you");
        await app.ClientBrowser().GetPageAsync(shortPath[..^1] + (shortPath[^1] == 'x' ? 'y' : 'x'), HttpStatusCode.NotFound);
        app.FailPortal = true;
        HttpResponseMessage failed;
        try
        {
            failed = await app.CreateClient().GetAsync(shortPath);
        }
        finally
        {
            app.FailPortal = false;
        }
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var problem = await failed.Content.ReadAsStringAsync();

        var (logs, exports) = await app.RecordedAsync();
        Assert.Contains("/p/***", logs); // ASP.NET Core's request lines are there, redacted
        Assert.Contains("/portal/***", logs);
        Assert.Contains("The portal failed", logs); // and so is the 500
        Assert.Contains("/p/***", exports); // the request spans' url.path
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, exports);
            Assert.DoesNotContain(secret, problem);
        }
    }

    [Fact]
    public async Task ApiTokensAndWebhookSecretsNeverReachTheLogsOrTheSpans()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null));
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var page = await (await admin.FollowAsync(await admin.PostFormAsync("/settings/integrations?handler=Create",
            new() { ["TokenName"] = "CMS sync" }, formPage: "/settings/integrations"))).Content.ReadAsStringAsync();
        var madeInApp = PageHtml.TextOf(page, "data-token")!;
        Assert.StartsWith("cw_", madeInApp);
        await admin.FollowAsync(await admin.PostFormAsync("/settings/integrations?handler=CreateWebhook",
            new() { ["WebhookUrl"] = "https://cms.example/hooks", ["WebhookEvents"] = "*" }, formPage: "/settings/integrations"));
        var fromCli = await CliAsync(app, "webhook", "create", "--company", tenant.Slug, "--url", "https://cms.example/other-hooks");
        Assert.Equal(0, fromCli.ExitCode);
        var webhookSecrets = await app.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.CompanyId == tenant.CompanyId).Select(e => e.Secret).ToListAsync());
        Assert.Equal(2, webhookSecrets.Count);

        await (await tenant.Http.GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        await (await app.ClientFor(madeInApp).GetAsync("/partner/v2/projects/p1")).ExpectAsync(HttpStatusCode.OK);
        await tenant.ProjectAsync("p1", ["c1"], phase: "Discovery"); // raises project.phase_changed for both endpoints

        var (logs, exports) = await app.RecordedAsync();
        Assert.Contains("/partner/v2/me", exports);
        foreach (var secret in webhookSecrets.Concat([tenant.Token, madeInApp]))
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, exports);
            Assert.DoesNotContain(secret["whsec_".Length..], logs);
        }
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
