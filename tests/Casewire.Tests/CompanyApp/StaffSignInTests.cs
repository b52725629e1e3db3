using System.Net;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.CompanyApp;

/// <summary>Staff sign-in (SPEC §8): cookie login, forced password change, lockout, antiforgery, anonymous access.</summary>
public sealed class StaffSignInTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/password")]
    public async Task AnAnonymousVisitorIsSentToTheLoginPage(string path)
    {
        var anonymous = await StaffSession.CreateUserAsync(app, (await app.NewTenantAsync()).CompanyId);

        var response = await anonymous.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task ASignedInUserSeesTheDashboardWithTheirEmail()
    {
        var tenant = await app.NewTenantAsync();
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId);

        var html = await staff.GetPageAsync("/");

        Assert.Contains("Dashboard", html);
        Assert.Contains(staff.Email, html);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong()
    {
        var staff = await StaffSession.CreateUserAsync(app, (await app.NewTenantAsync()).CompanyId);

        var response = await staff.SignInAsync("Not-The-Password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task FiveFailuresLockTheLoginEvenForTheRightPassword()
    {
        var staff = await StaffSession.CreateUserAsync(app, (await app.NewTenantAsync()).CompanyId);
        for (var i = 0; i < 5; i++) await staff.SignInAsync("Not-The-Password-1");

        var response = await staff.SignInAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Http.GetAsync("/")).StatusCode); // the right password did not sign in
    }

    [Fact]
    public async Task AOneTimePasswordMustBeReplacedBeforeAnyOtherPage()
    {
        var staff = await StaffSession.CreateUserAsync(app, (await app.NewTenantAsync()).CompanyId, mustChangePassword: true);
        await staff.SignInAsync();

        var dashboard = await staff.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/account/password", dashboard.Headers.Location!.OriginalString);

        var changed = await staff.PostFormAsync("/account/password", new()
        {
            ["Current"] = staff.Password, ["New"] = "Brand-New-Pass-77", ["Confirm"] = "Brand-New-Pass-77",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await staff.GetPageAsync("/");

        // The new password is the one that works from now on.
        var again = new StaffSession(app.CreateClient(new() { AllowAutoRedirect = false }), staff.Email, "Brand-New-Pass-77");
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync(staff.Password)).StatusCode);
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenIsRejected()
    {
        var staff = await StaffSession.SignedInAsync(app, (await app.NewTenantAsync()).CompanyId);

        var response = await staff.PostFormWithoutTokenAsync("/account/password", new()
        {
            ["Current"] = staff.Password, ["New"] = "Brand-New-Pass-77", ["Confirm"] = "Brand-New-Pass-77",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // And the password did not change.
        var again = new StaffSession(app.CreateClient(new() { AllowAutoRedirect = false }), staff.Email, staff.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync()).StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var staff = await StaffSession.SignedInAsync(app, (await app.NewTenantAsync()).CompanyId);

        var response = await staff.PostFormAsync("/logout", [], formPage: "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task TheStylesheetIsServedFromTheBinary()
    {
        var response = await app.CreateClient().GetAsync("/assets/app.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".timeline", await response.Content.ReadAsStringAsync());
    }
}
