using System.Net;
using System.Text.RegularExpressions;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>
/// A client's language on the project page (SPEC §13, "editable in the Company App"): shown for everyone, changed
/// by an Admin to the company's default or a language Casewire has texts for; anything else is refused beside the
/// field with nothing saved; another firm's contact cannot be reached.
/// </summary>
public sealed partial class ContactLanguageTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    /// <summary>A company with one project and its one client, Ann; returns the ids.</summary>
    async Task<(CasewireApp.Tenant Tenant, int ProjectId, int ContactId)> FirmWithClientAsync()
    {
        var tenant = await app.NewTenantAsync();
        var contactId = await tenant.ContactAsync("c1", phone: PartnerSetup.UniqueNumber());
        var projectId = await tenant.ProjectAsync("case-1", ["c1"]);
        return (tenant, projectId, contactId);
    }

    Task<string?> LanguageOfAsync(int contactId) => app.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).Select(c => c.Language).SingleAsync());

    static Dictionary<string, string> Fields(int contactId, string language) => new() { ["contactId"] = contactId.ToString(), ["language"] = language };

    [Fact]
    public async Task AnAdminChoosesAClientsLanguageAndTheCompanyDefaultClearsIt()
    {
        var (tenant, projectId, contactId) = await FirmWithClientAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var path = $"/projects/{projectId}";

        var page = WebUtility.HtmlDecode(await admin.GetPageAsync(path));
        Assert.Equal(["default", "en", "es"], LanguageOptions(page, contactId).Select(o => o.Value));
        Assert.Equal("default", LanguageOptions(page, contactId).Single(o => o.Selected).Value);
        Assert.Contains("Company default (English)", page);
        Assert.Contains(">Spanish (español)</option>", page);

        var saved = await admin.PostFormAsync($"{path}?handler=Language", Fields(contactId, "es"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("es", await LanguageOfAsync(contactId));
        var after = WebUtility.HtmlDecode(await admin.GetPageAsync(path));
        Assert.Equal("es", LanguageOptions(after, contactId).Single(o => o.Selected).Value);
        Assert.Contains("Ann Lee now reads texts in Spanish (español).", after);

        // A region is kept as the API keeps it (BCP 47 case), and shown as chosen.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"{path}?handler=Language", Fields(contactId, "es-mx"))).StatusCode);
        Assert.Equal("es-MX", await LanguageOfAsync(contactId));
        Assert.Equal("es-MX", LanguageOptions(WebUtility.HtmlDecode(await admin.GetPageAsync(path)), contactId).Single(o => o.Selected).Value);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"{path}?handler=Language", Fields(contactId, "default"))).StatusCode);
        Assert.Null(await LanguageOfAsync(contactId));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("spanish")]
    [InlineData("")]
    public async Task ALanguageWithoutTextsIsRefusedBesideTheFieldAndNothingIsSaved(string language)
    {
        var (tenant, projectId, contactId) = await FirmWithClientAsync();
        await app.WithDbAsync(async db =>
        {
            (await db.Contacts.SingleAsync(c => c.Id == contactId)).Language = "es";
            await db.SaveChangesAsync();
        });
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var refused = await admin.PostFormAsync($"/projects/{projectId}?handler=Language", Fields(contactId, language));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        var error = Regex.Match(html, $"id=\"lang-{contactId}-error\"[^>]*>([^<]*)<");
        Assert.True(error.Success, "no error beside the language field");
        Assert.Equal($"'{language}' is not a language Casewire has texts for; choose the company's default or one of en, es (a region may follow, e.g. es-MX).",
            error.Groups[1].Value);
        Assert.Equal("es", await LanguageOfAsync(contactId));
    }

    [Theory]
    [InlineData(nameof(StaffRole.User))]
    [InlineData(nameof(StaffRole.Follower))]
    public async Task ANonAdminSeesTheLanguageReadOnlyAndCannotChangeIt(string role)
    {
        var (tenant, projectId, contactId) = await FirmWithClientAsync();
        await app.WithDbAsync(async db =>
        {
            (await db.Contacts.SingleAsync(c => c.Id == contactId)).Language = "es";
            await db.SaveChangesAsync();
        });
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, Enum.Parse<StaffRole>(role));

        var page = WebUtility.HtmlDecode(await staff.GetPageAsync($"/projects/{projectId}"));
        Assert.Contains($"<span data-language=\"{contactId}\">Spanish (español)</span>", page);
        Assert.DoesNotContain("name=\"language\"", page);

        var refused = await staff.PostFormAsync($"/projects/{projectId}?handler=Language", Fields(contactId, "en"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only an Admin of your firm can change a client", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal("es", await LanguageOfAsync(contactId));
    }

    [Fact]
    public async Task AContactOfAnotherFirmCannotBeChangedFromAnyProject()
    {
        var (_, victimProjectId, victimContactId) = await FirmWithClientAsync();
        var (hostile, hostileProjectId, hostileContactId) = await FirmWithClientAsync();
        var admin = await StaffSession.SignedInAsync(app, hostile.CompanyId);

        // Their contact through the hostile firm's own project, and through the victim's project.
        var viaOwnProject = await admin.PostFormAsync($"/projects/{hostileProjectId}?handler=Language", Fields(victimContactId, "es"));
        var viaTheirProject = await admin.PostFormAsync($"/projects/{victimProjectId}?handler=Language", Fields(victimContactId, "es"), formPage: $"/projects/{hostileProjectId}");
        // The hostile firm's own client through the victim's project id.
        var ownViaTheirs = await admin.PostFormAsync($"/projects/{victimProjectId}?handler=Language", Fields(hostileContactId, "es"), formPage: $"/projects/{hostileProjectId}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound),
            (viaOwnProject.StatusCode, viaTheirProject.StatusCode, ownViaTheirs.StatusCode));
        Assert.Null(await LanguageOfAsync(victimContactId));
        Assert.Null(await LanguageOfAsync(hostileContactId));
    }

    /// <summary>The options of the language picker of <paramref name="contactId"/>, in order.</summary>
    static List<(string Value, bool Selected)> LanguageOptions(string html, int contactId)
    {
        var select = Regex.Match(html, $"<select id=\"lang-{contactId}\"[\\s\\S]*?</select>");
        Assert.True(select.Success, $"no language picker for contact {contactId}");
        return OptionTag().Matches(select.Value).Select(m => (m.Groups[1].Value, m.Groups[2].Success)).ToList();
    }

    [GeneratedRegex("<option value=\"([^\"]*)\"( selected=\"selected\")?")]
    private static partial Regex OptionTag();
}
