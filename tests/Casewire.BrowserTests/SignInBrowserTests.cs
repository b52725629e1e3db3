using Casewire.BrowserTests.Infrastructure;

namespace Casewire.BrowserTests;

/// <summary>Signing in to the Company App in a real browser.</summary>
public sealed class SignInBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AStaffMemberSignsInThroughTheFormAndLandsOnTheDashboard()
    {
        var tenant = await app.NewTenantAsync();

        var page = await Staff.SignedInPageAsync(app, tenant.CompanyId);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AWrongPasswordKeepsTheVisitorOnTheLoginPageWithAnError()
    {
        var tenant = await app.NewTenantAsync();
        var user = await Casewire.Tests.Infrastructure.StaffSession.CreateUserAsync(app, tenant.CompanyId);
        var page = await app.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("Not-The-Password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email or password is not right.");
        Assert.Contains("/login", page.Url);
    }
}
