using System.Net;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.CompanyApp;

/// <summary>Company settings (SPEC §6, §8): admins edit them with the CLI's rules, everyone else reads them.</summary>
public sealed class SettingsTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static Dictionary<string, string> ValidForm(Action<Dictionary<string, string>>? change = null)
    {
        var form = new Dictionary<string, string>
        {
            ["Form.Name"] = "Reyes & Park LLP", ["Form.TimeZone"] = "America/Chicago", ["Form.Region"] = "ca",
            ["Form.DeliveryWindow"] = "business-hours", ["Form.WindowStart"] = "09:30", ["Form.WindowEnd"] = "17:00",
            ["Form.SenderNumber"] = PartnerSetup.UniqueNumber(), ["Form.HelpText"] = "Reyes & Park: call 555-0100.", ["Form.PortalUrl"] = "",
        };
        change?.Invoke(form);
        return form;
    }

    Task<Company> CompanyAsync(int id) => app.WithDbAsync(db => db.Companies.AsNoTracking().SingleAsync(c => c.Id == id));

    [Fact]
    public async Task AnAdminSavesEverySettingAndTheValuesAreNormalised()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        // A national number (a firm's own: sender numbers are unique across firms, SPEC §9).
        var response = await admin.PostFormAsync("/settings", ValidForm(f => f["Form.SenderNumber"] = "(555) 123-0000"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var company = await CompanyAsync(tenant.CompanyId);
        Assert.Equal("Reyes & Park LLP", company.Name);
        Assert.Equal("America/Chicago", company.TimeZone);
        Assert.Equal("CA", company.DefaultRegion);
        Assert.Equal(DeliveryWindow.BusinessHours, company.DeliveryWindow);
        Assert.Equal((new TimeOnly(9, 30), new TimeOnly(17, 0)), (company.WindowStart, company.WindowEnd));
        Assert.Equal("+15551230000", company.SenderNumber); // read in the region being saved (CA shares +1)
        Assert.Equal("Reyes & Park: call 555-0100.", company.HelpText);
        Assert.Null(company.PortalBaseUrl);
        var page = await admin.GetPageAsync("/settings");
        Assert.Contains("Settings saved.", page);
        Assert.Contains("value=\"America/Chicago\"", page);
    }

    [Fact]
    public async Task EmptyingAnOptionalSettingClearsItAndImmediateIsAWindow()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        await admin.PostFormAsync("/settings", ValidForm());

        var response = await admin.PostFormAsync("/settings", ValidForm(f =>
        {
            f["Form.HelpText"] = "";
            f["Form.SenderNumber"] = " ";
            f["Form.DeliveryWindow"] = "immediate";
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var company = await CompanyAsync(tenant.CompanyId);
        Assert.Null(company.HelpText);
        Assert.Null(company.SenderNumber);
        Assert.Equal(DeliveryWindow.Immediate, company.DeliveryWindow);
    }

    [Theory]
    [InlineData("Form.TimeZone", "Mars/Base", "Form.TimeZone", "is not an IANA time zone")]
    [InlineData("Form.TimeZone", "Eastern", "Form.TimeZone", "is not an IANA time zone")]
    [InlineData("Form.Region", "ZZ", "Form.Region", "is not a phone region")]
    [InlineData("Form.SenderNumber", "12", "Form.SenderNumber", "is not a phone number; use E.164")]
    [InlineData("Form.SenderNumber", "1-800-FLOWERS", "Form.SenderNumber", "is not a phone number")]
    [InlineData("Form.WindowStart", "8am", "Form.WindowStart", "is not a time of day")]
    [InlineData("Form.WindowStart", "21:00", "Form.WindowEnd", "Business hours must start before they end")]
    [InlineData("Form.Name", "  ", "Form.Name", "Firm name must not be blank")]
    [InlineData("Form.PortalUrl", "portal.example.com", "Form.PortalUrl", "is not an absolute http(s) URL")]
    [InlineData("Form.DeliveryWindow", "whenever", "Form.DeliveryWindow", "is not a delivery window")]
    [InlineData("Form.HelpText", "{client.firstName}, call us", "Form.HelpText", "Unknown placeholder {client.firstName}; use one of {company.name}")]
    public async Task ABadValueShowsTheFormAgainWithTheFieldsMessageAndSavesNothing(string field, string value, string errorField, string message)
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = await CompanyAsync(tenant.CompanyId);

        // Every other field is valid and different: none of them may be saved either.
        var response = await admin.PostFormAsync("/settings", ValidForm(f => f[field] = value));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, PageHtml.FieldError(html, errorField));
        Assert.Contains("Nothing was saved", html);
        var after = await CompanyAsync(tenant.CompanyId);
        Assert.Equal((before.Name, before.TimeZone, before.DefaultRegion, before.DeliveryWindow, before.WindowStart, before.WindowEnd,
                before.SenderNumber, before.HelpText, before.PortalBaseUrl),
            (after.Name, after.TimeZone, after.DefaultRegion, after.DeliveryWindow, after.WindowStart, after.WindowEnd,
                after.SenderNumber, after.HelpText, after.PortalBaseUrl));
    }

    [Theory]
    [InlineData(nameof(StaffRole.User))]
    [InlineData(nameof(StaffRole.Follower))]
    public async Task AUserOrFollowerReadsTheSettingsButCannotChangeThem(string roleName)
    {
        var role = Enum.Parse<StaffRole>(roleName);
        var tenant = await app.NewTenantAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, role);
        var before = await CompanyAsync(tenant.CompanyId);

        var page = await staff.GetPageAsync("/settings");
        var response = await staff.PostFormAsync("/settings", ValidForm());
        var revoke = await staff.PostFormAsync("/settings?handler=RevokeLinks", new() { ["ConfirmRevokeLinks"] = "true" });

        Assert.Contains($"value=\"{before.Name}\"", page);
        Assert.Contains("<fieldset disabled=\"disabled\">", page);
        Assert.DoesNotContain("Save settings", page);
        Assert.DoesNotContain("Revoke all client portal links", page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/denied", response.Headers.Location!.AbsolutePath);
        Assert.Equal("/denied", revoke.Headers.Location!.AbsolutePath);
        var after = await CompanyAsync(tenant.CompanyId);
        Assert.Equal((before.Name, before.TimeZone, before.SenderNumber, before.PortalLinkVersion),
            (after.Name, after.TimeZone, after.SenderNumber, after.PortalLinkVersion));
    }

    [Fact]
    public async Task RevokingEveryPortalLinkNeedsTheConfirmationAndRaisesTheLinkVersion()
    {
        var tenant = await app.NewTenantAsync();
        var admin = await StaffSession.SignedInAsync(app, tenant.CompanyId);
        var before = (await CompanyAsync(tenant.CompanyId)).PortalLinkVersion;

        var unconfirmed = await admin.PostFormAsync("/settings?handler=RevokeLinks", []);
        var unconfirmedHtml = await unconfirmed.Content.ReadAsStringAsync();
        var versionAfterUnconfirmed = (await CompanyAsync(tenant.CompanyId)).PortalLinkVersion;
        var confirmed = await admin.PostFormAsync("/settings?handler=RevokeLinks", new() { ["ConfirmRevokeLinks"] = "true" });

        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("Tick the box to confirm", PageHtml.FieldError(unconfirmedHtml, "ConfirmRevokeLinks"));
        Assert.Equal(before, versionAfterUnconfirmed);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(before + 1, (await CompanyAsync(tenant.CompanyId)).PortalLinkVersion);
        Assert.Contains("portal link sent so far is revoked", await admin.GetPageAsync("/settings"));
    }
}
