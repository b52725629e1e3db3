using System.Net;
using Casewire.Cli;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests;

/// <summary>
/// SPEC §9: the admin command line, run in-process against the app's services and database.
/// Results go to stdout (a token alone on its line); errors go to stderr with a non-zero exit code.
/// </summary>
public sealed class CliTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    sealed record Run(int ExitCode, string Out, string Error)
    {
        public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    async Task<Run> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(app.Services, args, stdout, stderr);
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }

    static string UniqueName() => "Firm " + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A company made through the CLI; returns its slug.</summary>
    async Task<string> NewCompanyAsync()
    {
        var run = await CliAsync("company", "create", "--name", UniqueName());
        Assert.True(run.ExitCode == 0, run.Error);
        return Assert.Single(run.OutLines);
    }

    async Task<string> NewTokenAsync(string slug, string name = "Clio sync")
    {
        var run = await CliAsync("token", "create", "--company", slug, "--name", name);
        Assert.True(run.ExitCode == 0, run.Error);
        return Assert.Single(run.OutLines);
    }

    static void AssertFailed(Run run, int? exitCode = 1)
    {
        if (exitCode is { } code) Assert.Equal(code, run.ExitCode);
        else Assert.NotEqual(0, run.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(run.Error), "an error must be explained on stderr");
    }

    // ---- help ----

    [Theory]
    [InlineData("bakup")]
    [InlineData("serv")]
    [InlineData("tokens")]
    public async Task AnUnknownCommandIsAnErrorListingTheCommandsNotASecondServer(string word)
    {
        Assert.True(AdminCli.IsCommand([word]), $"'casewire {word}' must not start the server");
        Assert.False(AdminCli.IsCommand(["serve"]), "'serve' starts the server");

        var run = await CliAsync(word, "--company", "acme");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"'{word}' is not a command", run.Error);
        foreach (var command in new[] { "migrate", "company", "token", "user", "template", "webhook", "backup" })
            Assert.Contains(command, run.Error);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task HelpIsACommandThatListsTheCommandsInsteadOfStartingTheServer(string flag)
    {
        Assert.True(AdminCli.IsCommand([flag]), $"'casewire {flag}' must print help, not start the server");
        Assert.False(AdminCli.IsCommand([]), "no arguments start the server");
        Assert.False(AdminCli.IsCommand(["--urls", "http://127.0.0.1:5000"]), "host options start the server");

        var run = await CliAsync(flag);

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "migrate", "company", "token", "user", "template", "webhook" })
            Assert.Contains(command, run.Out);
    }

    // ---- company create ----

    [Fact]
    public async Task CompanyCreatePrintsTheSlugDerivedFromTheNameAloneAndStoresTheDefaults()
    {
        var run = await CliAsync("company", "create", "--name", "Acme Law");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("acme-law" + Environment.NewLine, run.Out);
        Assert.Equal("", run.Error);
        var company = await app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Slug == "acme-law"));
        Assert.Equal("Acme Law", company.Name);
        Assert.Equal("America/New_York", company.TimeZone);
        Assert.Equal("US", company.DefaultRegion);
        Assert.Equal(DeliveryWindow.BusinessHours, company.DeliveryWindow);
        Assert.Equal(app.Time.GetUtcNow(), company.CreatedAt);
    }

    [Fact]
    public async Task CompanyCreateHonoursSlugTimezoneRegionAndDeliveryWindow()
    {
        var name = UniqueName();
        var run = await CliAsync("company", "create", "--name", name, "--slug", "acme2",
            "--timezone", "America/Chicago", "--region", "ca", "--delivery-window", "immediate");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["acme2"], run.OutLines);
        var company = await app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Slug == "acme2"));
        Assert.Equal(name, company.Name);
        Assert.Equal("America/Chicago", company.TimeZone);
        Assert.Equal("CA", company.DefaultRegion);
        Assert.Equal(DeliveryWindow.Immediate, company.DeliveryWindow);
    }

    [Fact]
    public async Task ADuplicateSlugIsExitCode1AndCreatesNothing()
    {
        var slug = await NewCompanyAsync();

        var run = await CliAsync("company", "create", "--name", "Someone Else", "--slug", slug);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Contains(slug, run.Error);
        var companies = await app.WithDbAsync(db => db.Companies.AsNoTracking().Where(c => c.Slug == slug).ToListAsync());
        Assert.NotEqual("Someone Else", Assert.Single(companies).Name);
    }

    [Theory]
    [InlineData("--timezone", "Mars/Base", "Mars/Base")]
    [InlineData("--timezone", "EST5EDT-ish", "EST5EDT-ish")]
    [InlineData("--region", "ZZ", "ZZ")]
    [InlineData("--delivery-window", "whenever", "whenever")]
    [InlineData("--slug", "---", "slug")]
    public async Task ABadCompanyOptionIsExitCode1WithAnExplanationOnStderrAndCreatesNothing(string option, string value, string explained)
    {
        var name = UniqueName();

        var run = await CliAsync("company", "create", "--name", name, option, value);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Contains(explained, run.Error);
        Assert.False(await app.WithDbAsync(db => db.Companies.AnyAsync(c => c.Name == name)));
    }

    [Theory]
    [InlineData("company", "create")]
    [InlineData("company", "create", "--slug", "no-name")]
    [InlineData("token", "create", "--name", "x")]
    [InlineData("token", "revoke", "--company", "acme")]
    [InlineData("user", "create", "--email", "a@b.co")]
    public async Task AMissingRequiredOptionIsANonZeroExitWithAnErrorOnStderr(params string[] args)
    {
        var run = await CliAsync(args);

        AssertFailed(run, exitCode: null);
        Assert.Contains("--", run.Error);
        Assert.False(await app.WithDbAsync(db => db.Companies.AnyAsync(c => c.Slug == "no-name")));
    }

    [Fact]
    public async Task AnUnknownCommandIsANonZeroExitWithAnErrorOnStderr()
    {
        var run = await CliAsync("company", "explode");

        AssertFailed(run, exitCode: null);
    }

    // ---- company update ----

    Task<Company> CompanyAsync(string slug) => app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Slug == slug));

    [Fact]
    public async Task CompanyUpdateChangesOnlyTheGivenSettingsAndPrintsThem()
    {
        var slug = await NewCompanyAsync();

        var run = await CliAsync("company", "update", "--company", slug, "--name", "Acme & Partners", "--timezone", "America/Chicago",
            "--window-start", "9:30", "--window-end", "17:00", "--help-text", "Acme Law: call 555-0100.", "--portal-url", "https://portal.acme.example/",
            "--sender-number", "(555) 123-0000");

        Assert.True(run.ExitCode == 0, run.Error);
        var company = await CompanyAsync(slug);
        Assert.Equal("Acme & Partners", company.Name);
        Assert.Equal("America/Chicago", company.TimeZone);
        Assert.Equal("US", company.DefaultRegion); // not given: kept
        Assert.Equal(DeliveryWindow.BusinessHours, company.DeliveryWindow);
        Assert.Equal((new TimeOnly(9, 30), new TimeOnly(17, 0)), (company.WindowStart, company.WindowEnd));
        Assert.Equal("Acme Law: call 555-0100.", company.HelpText);
        Assert.Equal("https://portal.acme.example", company.PortalBaseUrl);
        Assert.Equal("+15551230000", company.SenderNumber);
        Assert.Contains("business-hours, Mon-Fri 09:30-17:00", run.Out);
        Assert.Contains("America/Chicago", run.Out);
    }

    [Fact]
    public async Task CompanyUpdateWithAnEmptyValueClearsAnOptionalSetting()
    {
        var slug = await NewCompanyAsync();
        await CliAsync("company", "update", "--company", slug, "--portal-url", "https://portal.acme.example", "--help-text", "Call us.");

        var run = await CliAsync("company", "update", "--company", slug, "--portal-url", "", "--delivery-window", "immediate");

        Assert.True(run.ExitCode == 0, run.Error);
        var company = await CompanyAsync(slug);
        Assert.Null(company.PortalBaseUrl);
        Assert.Equal("Call us.", company.HelpText);
        Assert.Equal(DeliveryWindow.Immediate, company.DeliveryWindow);
    }

    [Theory]
    [InlineData("--window-start", "21:00", "start before")]
    [InlineData("--window-end", "7:00", "start before")]
    [InlineData("--window-start", "8am", "HH:mm")]
    [InlineData("--portal-url", "portal.acme.example", "absolute")]
    [InlineData("--sender-number", "12", "phone number")]
    [InlineData("--timezone", "Mars/Base", "Mars/Base")]
    [InlineData("--name", " ", "--name")]
    [InlineData("--help-text", "Call {firm.phone}", "Unknown placeholder {firm.phone}")]
    public async Task ABadCompanyUpdateIsExitCode1AndChangesNothing(string option, string value, string explained)
    {
        var slug = await NewCompanyAsync();
        var before = await CompanyAsync(slug);

        var run = await CliAsync("company", "update", "--company", slug, "--delivery-window", "immediate", option, value);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Contains(explained, run.Error);
        var after = await CompanyAsync(slug);
        Assert.Equal((before.Name, before.TimeZone, before.DeliveryWindow, before.WindowStart, before.WindowEnd, before.PortalBaseUrl, before.SenderNumber, before.HelpText),
            (after.Name, after.TimeZone, after.DeliveryWindow, after.WindowStart, after.WindowEnd, after.PortalBaseUrl, after.SenderNumber, after.HelpText));
    }

    [Fact]
    public async Task CompanyCreateAcceptsTheBusinessHours()
    {
        var name = UniqueName();

        var run = await CliAsync("company", "create", "--name", name, "--window-start", "07:00", "--window-end", "19:30");

        Assert.True(run.ExitCode == 0, run.Error);
        var company = await CompanyAsync(Assert.Single(run.OutLines));
        Assert.Equal((new TimeOnly(7, 0), new TimeOnly(19, 30)), (company.WindowStart, company.WindowEnd));
    }

    // ---- template ----

    /// <summary>A company whose "Personal Injury" tracker learned "Intake" and "Treatment" from its CMS; returns its slug.</summary>
    async Task<string> CompanyWithTrackerAsync()
    {
        var slug = await NewCompanyAsync();
        var http = app.ClientFor(await NewTokenAsync(slug));
        await http.PutJsonAsync("/partner/v2/contacts", new { externalId = "c1", firstName = "Ann", lastName = "Lee", phone = "+15551234567" });
        foreach (var phase in new[] { "Intake", "Treatment" })
            await (await http.PutJsonAsync("/partner/v2/projects", new
            {
                externalId = "p1", name = "Lee v. Acme", partnerPhaseName = phase, clients = new[] { "c1" },
                partnerProjectTypeName = "Personal Injury", milestonesEnabled = false, status = "In Progress",
            })).ExpectAsync(phase == "Intake" ? HttpStatusCode.Created : HttpStatusCode.OK);
        return slug;
    }

    [Fact]
    public async Task TemplateSetSavesAPhaseMessageAndPrintsASampleWithItsSegmentCount()
    {
        var slug = await CompanyWithTrackerAsync();

        var run = await CliAsync("template", "set", "--company", slug, "--type", "personal injury", "--phase", "TREATMENT",
            "--text", "Hi {client.firstName}, treatment has started. {portal.link}");
        var show = await CliAsync("template", "show", "--company", slug);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 SMS segment", run.OutLines[0]);
        Assert.StartsWith("Hi Maria, treatment has started. http://localhost:5000/p/", run.OutLines[1]);
        Assert.Contains("  1 Treatment: Hi {client.firstName}, treatment has started. {portal.link}", show.OutLines);
        Assert.Contains("  0 Intake: (default)", show.OutLines);
    }

    [Fact]
    public async Task TemplateSetWithAnUnknownPlaceholderIsExitCode1NamingItAndSavesNothing()
    {
        var slug = await CompanyWithTrackerAsync();

        var run = await CliAsync("template", "set", "--company", slug, "--type", "Personal Injury", "--text", "Welcome {client.title}!");

        AssertFailed(run);
        Assert.Contains("{client.title}", run.Error);
        Assert.Contains("  welcome: (default)", (await CliAsync("template", "show", "--company", slug)).OutLines);
    }

    [Fact]
    public async Task TemplateAddDripListsItAndRemoveDripRemovesIt()
    {
        var slug = await CompanyWithTrackerAsync();

        var added = await CliAsync("template", "add-drip", "--company", slug, "--type", "Personal Injury", "--phase", "Treatment",
            "--after-days", "7", "--repeat-every-days", "14", "--max-times", "3", "--text", "Any news, {client.firstName}?");
        var id = added.OutLines[0].Split(' ')[1];
        var listed = await CliAsync("template", "show", "--company", slug);
        var removed = await CliAsync("template", "remove-drip", "--company", slug, "--id", id);
        var again = await CliAsync("template", "remove-drip", "--company", slug, "--id", id);

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains($"      drip {id}, after 7 days, every 14 days, 3 times: Any news, {{client.firstName}}?", listed.OutLines);
        Assert.Equal(0, removed.ExitCode);
        AssertFailed(again);
    }

    // ---- token create / list / revoke ----

    [Fact]
    public async Task TokenCreatePrintsOneLineThatIsAWorkingTokenForThatCompany()
    {
        var slug = await NewCompanyAsync();

        var run = await CliAsync("token", "create", "--company", slug, "--name", "Clio sync");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var token = Assert.Single(run.OutLines);
        Assert.Equal(token + Environment.NewLine, run.Out);
        Assert.Matches("^cw_[0-9A-Za-z]{40}$", token);

        var me = await (await app.ClientFor(token).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(slug, (string?)me["company"]!["slug"]);
        Assert.Equal("Clio sync", (string?)me["token"]!["name"]);
        Assert.Equal(token[..11], (string?)me["token"]!["prefix"]);
    }

    [Fact]
    public async Task TokenCreateAcceptsTheSlugInAnyCase()
    {
        var slug = await NewCompanyAsync();

        var token = await NewTokenAsync(slug.ToUpperInvariant());

        var me = await (await app.ClientFor(token).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(slug, (string?)me["company"]!["slug"]);
    }

    [Fact]
    public async Task TokenListShowsEachTokensPrefixAndNameButNeverTheToken()
    {
        var slug = await NewCompanyAsync();
        var clio = await NewTokenAsync(slug, "Clio sync");
        var filevine = await NewTokenAsync(slug, "Filevine");
        var otherCompanysToken = await NewTokenAsync(await NewCompanyAsync(), "Not mine");

        var run = await CliAsync("token", "list", "--company", slug);

        Assert.Equal(0, run.ExitCode);
        var clioLine = Assert.Single(run.OutLines, l => l.Contains(clio[..11]));
        Assert.Contains("Clio sync", clioLine);
        var filevineLine = Assert.Single(run.OutLines, l => l.Contains(filevine[..11]));
        Assert.Contains("Filevine", filevineLine);
        Assert.DoesNotContain(clio, run.Out);
        Assert.DoesNotContain(filevine, run.Out);
        Assert.DoesNotContain(clio[11..], run.Out);
        Assert.DoesNotContain(otherCompanysToken[..11], run.Out);
        Assert.DoesNotContain("Not mine", run.Out);
    }

    [Fact]
    public async Task TokenRevokeByPrefixStopsThatTokenAtOnceAndOnlyThatOne()
    {
        var slug = await NewCompanyAsync();
        var revoked = await NewTokenAsync(slug, "old");
        var kept = await NewTokenAsync(slug, "new");
        await (await app.ClientFor(revoked).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);

        var run = await CliAsync("token", "revoke", "--company", slug, "--prefix", revoked[..11]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        await (await app.ClientFor(revoked).GetAsync("/partner/v2/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.ClientFor(kept).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
        var list = await CliAsync("token", "list", "--company", slug);
        Assert.Contains("revoked", Assert.Single(list.OutLines, l => l.Contains(revoked[..11])));
        Assert.DoesNotContain("revoked", Assert.Single(list.OutLines, l => l.Contains(kept[..11])));
    }

    [Fact]
    public async Task TokenRevokeWithAnotherCompanysPrefixIsExitCode1AndRevokesNothing()
    {
        var mine = await NewCompanyAsync();
        var theirs = await NewCompanyAsync();
        var theirToken = await NewTokenAsync(theirs);

        var run = await CliAsync("token", "revoke", "--company", mine, "--prefix", theirToken[..11]);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        await (await app.ClientFor(theirToken).GetAsync("/partner/v2/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("token", "create", "--company", "{0}", "--name", "x")]
    [InlineData("token", "list", "--company", "{0}")]
    [InlineData("token", "revoke", "--company", "{0}", "--prefix", "cw_abcdefgh")]
    [InlineData("user", "create", "--company", "{0}", "--email", "nobody@example.com", "--role", "admin")]
    [InlineData("company", "update", "--company", "{0}", "--delivery-window", "immediate")]
    public async Task AnUnknownCompanyIsExitCode1WithAMessageOnStderrAndNothingOnStdout(params string[] template)
    {
        var unknown = "no-such-" + Guid.NewGuid().ToString("N")[..8];
        var args = template.Select(a => string.Format(a, unknown)).ToArray();
        var tokensBefore = await app.WithDbAsync(db => db.ApiTokens.CountAsync());

        var run = await CliAsync(args);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Contains(unknown, run.Error);
        Assert.Equal(tokensBefore, await app.WithDbAsync(db => db.ApiTokens.CountAsync()));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "nobody@example.com")));
    }

    [Fact]
    public async Task ABlankTokenNameIsExitCode1AndCreatesNoToken()
    {
        var slug = await NewCompanyAsync();

        var run = await CliAsync("token", "create", "--company", slug, "--name", "  ");

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Equal(0, await app.WithDbAsync(db => db.ApiTokens.CountAsync(t => t.Company.Slug == slug)));
    }

    // ---- user create ----

    [Fact]
    public async Task UserCreatePrintsAOneTimePasswordForAnAdminWhoMustChangeIt()
    {
        var slug = await NewCompanyAsync();
        var email = $"admin-{Guid.NewGuid():N}@example.com";

        var run = await CliAsync("user", "create", "--company", slug, "--email", email, "--role", "admin");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var password = Assert.Single(run.OutLines);
        Assert.False(string.IsNullOrWhiteSpace(password));
        var user = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        var companyId = await app.WithDbAsync(db => db.Companies.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());
        Assert.Equal(companyId, user.CompanyId);
        Assert.Equal(StaffRole.Admin, user.Role);
        Assert.True(user.MustChangePassword);
        Assert.DoesNotContain(password, user.PasswordHash ?? "");

        // The printed password is the one that signs in.
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var loaded = await users.FindByEmailAsync(email);
        Assert.NotNull(loaded);
        Assert.True(await users.CheckPasswordAsync(loaded, password));
        Assert.False(await users.CheckPasswordAsync(loaded, password + "x"));
    }

    [Theory]
    [InlineData("user", nameof(StaffRole.User))]
    [InlineData("Follower", nameof(StaffRole.Follower))]
    public async Task UserCreateAcceptsEveryRole(string role, string expectedName)
    {
        var expected = Enum.Parse<StaffRole>(expectedName);
        var slug = await NewCompanyAsync();
        var email = $"u-{Guid.NewGuid():N}@example.com";

        var run = await CliAsync("user", "create", "--company", slug, "--email", email, "--role", role);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, (await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).Role);
    }

    [Theory]
    [InlineData("superuser")]
    [InlineData("owner")]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("admin,user")]
    public async Task ABadRoleIsExitCode1AndCreatesNoUser(string role)
    {
        var slug = await NewCompanyAsync();
        var email = $"bad-{Guid.NewGuid():N}@example.com";

        var run = await CliAsync("user", "create", "--company", slug, "--email", email, "--role", role);

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("Someone <a@b.co>")]
    public async Task ABadEmailIsExitCode1AndCreatesNoUser(string email)
    {
        var slug = await NewCompanyAsync();
        var usersBefore = await app.WithDbAsync(db => db.Users.CountAsync());

        var run = await CliAsync("user", "create", "--company", slug, "--email", email, "--role", "admin");

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Equal(usersBefore, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task ASecondUserWithTheSameEmailIsExitCode1()
    {
        var slug = await NewCompanyAsync();
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        Assert.Equal(0, (await CliAsync("user", "create", "--company", slug, "--email", email, "--role", "admin")).ExitCode);

        var run = await CliAsync("user", "create", "--company", slug, "--email", email, "--role", "user");

        AssertFailed(run);
        Assert.Equal("", run.Out);
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    // ---- migrate ----

    [Fact]
    public async Task MigrateSucceedsAndLeavesNoPendingMigration()
    {
        var run = await CliAsync("migrate");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Empty(await app.WithDbAsync(db => db.Database.GetPendingMigrationsAsync()));
    }
}
